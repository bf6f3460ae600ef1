-- 90 % GET /item/{id}, 10 % PUT /item/{id} with a token, random ids. Args: token, max_id.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

function init(args)
  seed()
  headers = json_headers(args[1])
  max_id = tonumber(args[2])
end

function request()
  if math.random(1, 10) == 1 then
    local body = '{"price": ' .. random_price() .. '}'
    return wrk.format("PUT", random_item_path(max_id), headers, body)
  end
  return wrk.format("GET", random_item_path(max_id))
end
