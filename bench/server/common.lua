-- bench/server/common.lua: shared by lookup.lua and intake.lua (wrk 4 scripts, LuaJIT).
-- Each wrk thread gets its own Lua state; setup() numbers them so their random streams differ.
-- done() writes the figures as one JSON object to $HC_WRK_JSON (wrk's own text goes to stdout).
local M = {}

local counter = 0
function M.setup(thread)
    counter = counter + 1
    thread:set("thread_no", counter)
end

function M.done(summary, latency, requests)
    local path = os.getenv("HC_WRK_JSON")
    if path == nil or path == "" then return end
    local f = assert(io.open(path, "w"))
    local e = summary.errors
    local secs = summary.duration / 1e6
    f:write(string.format(
        '{"requests":%d,"duration_s":%.6f,"requests_per_s":%.3f,"bytes":%d,' ..
        '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
        '"latency_ms":{"mean":%.4f,"stdev":%.4f,"max":%.4f,"p50":%.4f,"p75":%.4f,"p90":%.4f,' ..
        '"p99":%.4f,"p99_9":%.4f}}\n',
        summary.requests, secs, summary.requests / secs, summary.bytes,
        e.connect, e.read, e.write, e.status, e.timeout,
        latency.mean / 1e3, latency.stdev / 1e3, latency.max / 1e3,
        latency:percentile(50) / 1e3, latency:percentile(75) / 1e3, latency:percentile(90) / 1e3,
        latency:percentile(99) / 1e3, latency:percentile(99.9) / 1e3))
    f:close()
end

return M
