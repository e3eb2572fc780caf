-- GET /p/{token}: the patient page, spread over every seeded link.
dofile((os.getenv("HEP_LOAD_DIR") or ".") .. "/common.lua")
local tokens
function init(args)
  tokens = read_lines("tokens.txt")
  math.randomseed(os.time() + (thread_id or 0) * 7919)
end
function request()
  return wrk.format("GET", "/p/" .. tokens[math.random(#tokens)])
end
