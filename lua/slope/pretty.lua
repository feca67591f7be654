-- pretty.lua: placeholder (being replaced)
return {}
