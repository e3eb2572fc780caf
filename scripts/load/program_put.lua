-- PUT /api/v1/programs/{id}: replace a draft under optimistic concurrency.
-- Each wrk thread owns a disjoint share of the programs and walks them
-- round-robin, so a program comes round again only after hundreds of other
-- requests (far more than the connections in flight). The revision sent is
-- the one the last response for that program reported (each save adds 1),
-- so a 409 here means a real lost update, and counts as an error.
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
function request()
  local id = ids[next_index]
  next_index = next_index % #ids + 1
  n = n + 1
  local body = string.format(
    '{"revision":%d,"title":"Load test program, save %d","notes":"Do these slowly.","items":%s}',
    revision[id], n, items)
  -- Optimistic: assume this save succeeds; the response corrects it.
  revision[id] = revision[id] + 1
  return wrk.format("PUT", "/api/v1/programs/" .. id,
    { ["Authorization"] = "Bearer " .. session, ["Content-Type"] = "application/json" }, body)
end
function response(status, headers, body)
  if status ~= 200 and not first_error then
    first_error = status .. " " .. body:sub(1, 300)
  end
  local id = body:match('^{"id":"([^"]+)"')
  local rev = body:match('"revision":(%d+)')
  if id and rev and revision[id] then
    -- Another request for this id may already be in flight with rev+1.
    if tonumber(rev) > revision[id] then revision[id] = tonumber(rev) end
  end
end
