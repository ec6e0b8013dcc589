-- wrk script: POST /api/v1/appeals with a fresh Idempotency-Key each time, from many demo buyers,
-- with texts that differ (so no spam wave), problem type "other" (no order needed).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(tid * 7919 + os.time())
  accounts = tonumber(os.getenv("ACCOUNTS") or "20000")
  key = os.getenv("KEY") or "bench-integration-key-0001"
end

local letters = "abcdefghijklmnopqrstuvwxyz"
local function word(n)
  local t = {}
  for i = 1, n do
    local k = math.random(1, #letters)
    t[i] = letters:sub(k, k)
  end
  return table.concat(t)
end

request = function()
  counter = counter + 1
  local account = string.format("a-%d", 2000 + math.random(0, accounts - 1))
  local body = string.format(
    '{"channel":"app","requester":{"account_id":"%s"},"role":"buyer","problem_type":"other","text":"Вопрос про бонусы и доставку %s %s"}',
    account, word(8), word(8))
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. key,
    ["Idempotency-Key"] = string.format("bench-%d-%d-%s", tid, counter, word(6)),
  }
  return wrk.format("POST", "/api/v1/appeals", headers, body)
end

local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
