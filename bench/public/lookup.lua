-- bench/public/lookup.lua: GET /api/v1/public/inmates/{booking_no}, the booking drawn at random
-- from $HC_BOOKINGS (one booking number a line). No credentials: the route is public. The same
-- script and list drive holdcheck and nginx.
package.path = (os.getenv("HC_LUA_DIR") or "bench/server") .. "/?.lua;" .. package.path
local common = require("common")

local paths = {}

setup = common.setup
done = common.done

function init(args)
    local f = assert(io.open(assert(os.getenv("HC_BOOKINGS"), "HC_BOOKINGS unset"), "r"))
    for line in f:read("*a"):gmatch("[^\n]+") do
        paths[#paths + 1] = "/api/v1/public/inmates/" .. line
    end
    f:close()
    assert(#paths > 0, "no booking numbers in $HC_BOOKINGS")
    math.randomseed(7919 * (thread_no or 1))
end

function request()
    return wrk.format("GET", paths[math.random(#paths)])
end
