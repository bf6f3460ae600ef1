-- PUT /item/{id} (a new price) with a token, random ids. Args: token, max_id.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

function init(args)
  seed()
  headers = json_headers(args[1])
  max_id = tonumber(args[2])
end

function request()
  local body = '{"price": ' .. random_price() .. '}'
  return wrk.format("PUT", random_item_path(max_id), headers, body)
end
