-- GET a stored picture (the URL given to wrk) with If-None-Match: its ETag. Args: the ETag.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

function init(args)
  seed()
  etag = args[1]
end

function request()
  return wrk.format("GET", nil, {["If-None-Match"] = etag})
end
