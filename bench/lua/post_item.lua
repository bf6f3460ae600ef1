-- POST /item with a token into random stores of its owner. Args: token, max_store_id.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

function init(args)
  seed()
  headers = json_headers(args[1])
  max_store = tonumber(args[2])
  counter = 0
end

function request()
  counter = counter + 1
  local body = string.format('{"name": "bench item %d-%d", "price": %s, "store_id": %d}',
    thread_no, counter, random_price(), math.random(1, max_store))
  return wrk.format("POST", "/item", headers, body)
end
