-- GET /store/{id} for random stores. Args: max_store_id.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

function init(args)
  seed()
  max_id = tonumber(args[1])
end

function request()
  return wrk.format("GET", "/store/" .. math.random(1, max_id))
end
