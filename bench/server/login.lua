-- bench/server/login.lua: POST /api/v1/session with the name and password of $HC_LOGIN_NAME and
-- $HC_LOGIN_PASSWORD, again and again: a login storm (bench/server/offload.sh). Each login is
-- one argon2id verification and one session written, on a new connection (Connection: close),
-- as clients that log in once do: the kernel spreads them over the server's loops, rather than
-- wrk's kept-alive connections staying on whichever loop took them.
package.path = (os.getenv("HC_LUA_DIR") or "bench/server") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
done = common.done

local body = string.format('{"name":"%s","password":"%s"}', os.getenv("HC_LOGIN_NAME") or "",
                           os.getenv("HC_LOGIN_PASSWORD") or "")
local headers = {["Content-Type"] = "application/json", ["Connection"] = "close"}

function request()
    return wrk.format("POST", "/api/v1/session", headers, body)
end
