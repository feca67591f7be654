-- help.lua: placeholder (being replaced)
return {}
