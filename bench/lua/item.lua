-- GET /item/{id} for random ids. Args: max_id.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

function init(args)
  seed()
  max_id = tonumber(args[1])
end

function request()
  return wrk.format("GET", random_item_path(max_id))
end
