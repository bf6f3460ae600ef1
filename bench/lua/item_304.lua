-- GET /item/{id} with If-None-Match for random ids whose ETags were fetched beforehand.
-- Args: a file of "id etag" lines.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

function init(args)
  seed()
  known = {}
  for line in io.lines(args[1]) do
    local id, etag = line:match("^(%d+) (.+)$")
    table.insert(known, {"/item/" .. id, {["If-None-Match"] = etag}})
  end
end

function request()
  local pick = known[math.random(1, #known)]
  return wrk.format("GET", pick[1], pick[2])
end
