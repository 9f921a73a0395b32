-- wrk script: POST a new product per request (unique SKU per thread and request).
local next_thread = 0

function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
end

local counter = 0
local run = tostring(os.time())

request = function()
  counter = counter + 1
  local body = string.format(
    '{"sku":"BENCH-%s-%d-%d","name":"Bench product %d","price":{"amount":9.99,"currency":"EUR"},"stock":1,"status":"active","tags":["bench"]}',
    run, tid, counter, counter)
  return wrk.format("POST", "/api/v1/catalog/products",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Test bench catalog.write" }, body)
end
