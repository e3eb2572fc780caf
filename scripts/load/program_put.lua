-- PUT /api/v1/programs/{id}: replace a draft under optimistic concurrency.
-- Each wrk thread owns a disjoint share of the programs and walks them
-- round-robin, skipping any whose last save is still unanswered; the
-- revision sent is the one the last response for that program reported, so
-- a 409 here means a real lost update, and counts as an error.
dofile((os.getenv("HEP_LOAD_DIR") or ".") .. "/common.lua")
local ids, revision, next_index = {}, {}, 1
local items
function init(args)
  local threads = tonumber(os.getenv("HEP_LOAD_THREADS") or "2")
  for i, line in ipairs(read_lines("programs.txt")) do
    local id, rev = line:match("^(%S+)%s+(%d+)")
    if (i - 1) % threads == thread_id then
      ids[#ids + 1] = id
      revision[id] = tonumber(rev)
    end
  end
  items = read_file("put_items.json")
end
local n = 0
local in_flight = {}
function request()
  -- Skip a program whose last save has not been answered yet: sending its
  -- revision again would be a stale write of our own making.
  local id
  for _ = 1, #ids do
    id = ids[next_index]
    next_index = next_index % #ids + 1
    if not in_flight[id] then break end
  end
  in_flight[id] = true
  n = n + 1
  local body = string.format(
    '{"revision":%d,"title":"Load test program, save %d","notes":"Do these slowly.","items":%s}',
    revision[id], n, items)
  return wrk.format("PUT", "/api/v1/programs/" .. id,
    { ["Authorization"] = "Bearer " .. session, ["Content-Type"] = "application/json" }, body)
end
local reported = false
function response(status, headers, body)
  local id = body:match('^{"id":"([^"]+)"')
  local rev = body:match('"revision":(%d+)')
  if id and rev and revision[id] then
    revision[id] = tonumber(rev)
    in_flight[id] = nil
  end
  if status ~= 200 and not reported then
    reported = true
    io.write("first error response: " .. status .. " " .. body:sub(1, 300) .. "\n")
  end
end
