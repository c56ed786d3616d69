-- PERF-04 under wrk: each request carries one of the run's API tokens, so the load is spread
-- over many users as with many clients. wrk's Lua API has no per-connection hook (request()
-- is called per thread, for whichever of the thread's connections is ready), so each thread
-- takes its own share of the tokens (thread i: tokens i+1, i+1+T, ...) and cycles through it:
-- with -c50 -t2 and 50 tokens that is 25 tokens per thread, about one per connection.
-- Environment: PERF04_TOKENS (file, one token a line), PERF04_THREADS (wrk's -t).

local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

local requests, i = {}, 0

function init(args)
  local threads = tonumber(os.getenv("PERF04_THREADS") or "1")
  local all = {}
  for line in io.lines(os.getenv("PERF04_TOKENS")) do
    if #line > 0 then all[#all + 1] = line end
  end
  for k = (tid or 0) + 1, #all, threads do
    requests[#requests + 1] = wrk.format("GET", nil, { ["Authorization"] = "Token " .. all[k] })
  end
  if #requests == 0 then
    requests[1] = wrk.format("GET", nil, { ["Authorization"] = "Token " .. all[1] })
  end
end

function request()
  i = i % #requests + 1
  return requests[i]
end
