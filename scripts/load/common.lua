-- Shared by the wrk scripts of scripts/load.sh: reads the seeded ids and
-- prints one machine-readable summary line at the end of a run.
local dir = os.getenv("HEP_LOAD_DIR") or "."

function read_lines(name)
  local lines = {}
  for line in io.lines(dir .. "/" .. name) do
    if #line > 0 then lines[#lines + 1] = line end
  end
  return lines
end

function read_file(name)
  local f = assert(io.open(dir .. "/" .. name, "r"))
  local text = f:read("*a")
  f:close()
  return (text:gsub("%s+$", ""))
end

session = read_file("session.txt")

-- Give each wrk thread its number so scripts can partition work.
local counter = 0
function setup(thread)
  thread:set("thread_id", counter)
  counter = counter + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
end
