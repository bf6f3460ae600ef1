-- Shared by every scenario (loaded with dofile): per-thread random seeds, a count of response
-- statuses, and one machine-readable summary line for bench/run.py.
local threads = {}

function setup(thread)
  thread:set("thread_no", #threads + 1)
  table.insert(threads, thread)
end

statuses = {}

function seed()
  math.randomseed(os.time() + 7919 * (thread_no or 0))
end

-- Counting statuses costs wrk CPU that the server would otherwise get: only in the warm-up.
if os.getenv("BENCH_COUNT_STATUSES") == "1" then
  function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      merged[status] = (merged[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(merged) do
    table.insert(parts, string.format('"%d":%d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"mean_us":%.1f,"max_us":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean, latency.max, table.concat(parts, ",")))
end

-- "GET /item/<random id>"
function random_item_path(max_id)
  return "/item/" .. math.random(1, max_id)
end

function json_headers(token)
  return {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
end

function random_price()
  return string.format("%d.%02d", math.random(1, 999), math.random(0, 99))
end
