-- bench/server/intake.lua: POST /api/v1/bookings/{booking_no}/requests as a clerk. The booking is
-- uniform over DEMO-000001 .. DEMO-%06d of $HC_NBOOKINGS; the request type follows the mix of
-- docs/benchmarks.md (notification 42 %, hold 22 %, transfer 16 %, interview 8 %,
-- personal_info 6 %, criminal_history 6 %), form I-247A. received_at is left to the server
-- (now), so each request is decided under the law in force today. Draws at random repeat a
-- booking, type and form now and then, which intake answers 409 (a duplicate within the
-- window, src/app/intake.c); each says confirm_new, as a clerk recording a new request would.
package.path = (os.getenv("HC_LUA_DIR") or "bench/server") .. "/?.lua;" .. package.path
local common = require("common")

local n = tonumber(os.getenv("HC_NBOOKINGS") or "1000000")
local headers = {["Authorization"] = "Bearer " .. (os.getenv("HC_TOKEN") or ""),
                 ["Content-Type"] = "application/json"}
local types = {}
for t, w in pairs({notification = 42, hold = 22, transfer = 16, interview = 8,
                   personal_info = 6, criminal_history = 6}) do
    for _ = 1, w do types[#types + 1] = '{"type":"' .. t .. '","form":"I-247A","confirm_new":true}' end
end
table.sort(types) -- pairs() order is not fixed; sorting makes the draws reproducible

setup = common.setup
done = common.done

function init(args)
    math.randomseed(104729 * (thread_no or 1))
end

function request()
    local path = string.format("/api/v1/bookings/DEMO-%06d/requests", math.random(n))
    return wrk.format("POST", path, headers, types[math.random(#types)])
end
