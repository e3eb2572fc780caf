-- GET /api/v1/programs/{id}/handout.pdf: the latest published version.
dofile((os.getenv("HEP_LOAD_DIR") or ".") .. "/common.lua")
local ids = {}
function init(args)
  for _, line in ipairs(read_lines("programs.txt")) do
    ids[#ids + 1] = line:match("^(%S+)")
  end
  math.randomseed(os.time() + (thread_id or 0) * 7919)
end
function request()
  return wrk.format("GET", "/api/v1/programs/" .. ids[math.random(#ids)] .. "/handout.pdf",
    { ["Authorization"] = "Bearer " .. session })
end
