-- bench/public/search.lua: GET /api/v1/public/inmates?last=L&first=F (a name search, first page),
-- the query drawn at random from $HC_QUERIES (one "L F" a line). The same script and list drive
-- holdcheck and nginx (which maps the two arguments to a saved answer).
package.path = (os.getenv("HC_LUA_DIR") or "bench/server") .. "/?.lua;" .. package.path
local common = require("common")

local paths = {}

setup = common.setup
done = common.done

function init(args)
    local f = assert(io.open(assert(os.getenv("HC_QUERIES"), "HC_QUERIES unset"), "r"))
    for last, first in f:read("*a"):gmatch("(%S+) (%S+)") do
        paths[#paths + 1] = "/api/v1/public/inmates?last=" .. last .. "&first=" .. first
    end
    f:close()
    assert(#paths > 0, "no queries in $HC_QUERIES")
    math.randomseed(104729 * (thread_no or 1))
end

function request()
    return wrk.format("GET", paths[math.random(#paths)])
end
