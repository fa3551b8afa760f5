/**
 * The Lua script that applies one transaction's changes to one record, inside Redis: a script runs
 * atomically, so increments from every agent of every host add up (no read-modify-write race), and the
 * semantics are the engine's `applyOps` (packages/engine/src/collections/store.ts), written a second time
 * here because the work has to happen where the record is. The tests run the same operations through both.
 *
 * A record is one hash:
 *
 * | field | holds |
 * |---|---|
 * | `_c`, `_u`, `_n`, `_t` | CREATE_TIME, LAST_UPDATE_TIME, UPDATE_COUNTER, TIMEOUT (SecCollectionTimeout) |
 * | `v:<name>` | the variable's value (name in lower case: collections are case-insensitive) |
 * | `e:<name>` | its expiry (`expirevar`), unix seconds |
 * | `n:<name>` | the name as written, when it is not all lower case |
 *
 * KEYS[1] is the record. ARGV: now (unix seconds, the agent's clock, as for reads), the timeout, the most
 * variables a record may hold, then four arguments per operation: a code (`s` set, `a` add, `d` delete,
 * `e` expire at, `p` deprecate by `amount/seconds`), the name in lower case, the name as written, the argument.
 *
 * A stale record (untouched for its timeout) starts again empty, expired variables are dropped, and the key
 * expires in Redis one timeout after this update (relative, so the server's clock does not matter): stale
 * records need no sweeper. Returns how many operations were dropped because they would have created a
 * variable past the limit.
 */
export const APPLY_SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local timeout = tonumber(ARGV[2])
local maxVariables = tonumber(ARGV[3])

local function int(v)
  local m = v and string.match(v, '^%s*([+-]?%d+)')
  return m and tonumber(m) or 0
end
local function str(n)
  return string.format('%d', n)
end

local f = {}
local flat = redis.call('HGETALL', key)
for i = 1, #flat, 2 do f[flat[i]] = flat[i + 1] end

local lastUpdate = tonumber(f['_u'])
local recordTimeout = tonumber(f['_t']) or 0
if lastUpdate and recordTimeout > 0 and lastUpdate + recordTimeout <= now then
  redis.call('DEL', key)
  f = {}
  lastUpdate = nil
end

local changed = {}
local function put(field, value)
  f[field] = value
  changed[field] = value
end
local function del(field)
  if f[field] ~= nil then
    f[field] = nil
    changed[field] = false
  end
end

if not lastUpdate then
  put('_c', str(now))
  put('_n', '0')
  lastUpdate = now
end

local variables = 0
local expired = {}
for field, value in pairs(f) do
  local prefix, name = string.sub(field, 1, 2), string.sub(field, 3)
  if prefix == 'v:' then variables = variables + 1 end
  if prefix == 'e:' and tonumber(value) <= now then expired[#expired + 1] = name end
end
for _, name in ipairs(expired) do
  if f['v:' .. name] ~= nil then variables = variables - 1 end
  del('v:' .. name)
  del('e:' .. name)
  del('n:' .. name)
end

local dropped = 0
for i = 4, #ARGV, 4 do
  local op, lower, name, arg = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local vf, ef, nf = 'v:' .. lower, 'e:' .. lower, 'n:' .. lower
  local exists = f[vf] ~= nil
  if op == 's' or op == 'a' then
    if exists or variables < maxVariables then
      if not exists then variables = variables + 1 end
      if op == 's' then put(vf, arg) else put(vf, str(int(f[vf]) + tonumber(arg))) end
      if name ~= lower then put(nf, name) else del(nf) end
    else
      dropped = dropped + 1
    end
  elseif op == 'd' then
    if exists then variables = variables - 1 end
    del(vf)
    del(ef)
    del(nf)
  elseif op == 'e' then
    if exists then put(ef, arg) end
  elseif op == 'p' then
    local amount, every = string.match(arg, '^(%d+)/(%d+)$')
    amount, every = tonumber(amount), tonumber(every)
    local elapsed = now - lastUpdate
    if exists and every and every > 0 and elapsed >= every then
      local v = int(f[vf]) - math.floor(elapsed / every) * amount
      if v < 0 then v = 0 end
      put(vf, str(v))
    end
  end
end

put('_n', str(int(f['_n']) + 1))
put('_u', str(now))
put('_t', str(timeout))

local sets, dels = {}, {}
for field, value in pairs(changed) do
  if value then
    sets[#sets + 1] = field
    sets[#sets + 1] = value
  else
    dels[#dels + 1] = field
  end
end
if #dels > 0 then redis.call('HDEL', key, unpack(dels)) end
if #sets > 0 then redis.call('HSET', key, unpack(sets)) end
if timeout > 0 then redis.call('EXPIRE', key, timeout) else redis.call('PERSIST', key) end
return dropped
`;
