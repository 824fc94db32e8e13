-- Pattern Atlas end to end in a real third-party LSP client: headless Neovim 0.7.2
-- (Debian 12), built-in vim.lsp, no plugins. Run by test/nvim/nvim.test.ts:
--
--   LSP_CMD='["node","/abs/dist/server.cjs","--stdio"]' LSP_OUT=/tmp/out.json SITE_ROOT=/tmp/site \
--   timeout 120 nvim --headless --clean -n -i NONE /tmp/site/docs/patterns/retry-backoff.md \
--     -c 'luafile /abs/test/nvim/pattern_atlas_e2e.lua'
--
-- Env:
--   LSP_CMD      JSON array, the server command (required)
--   LSP_OUT      file the JSON results are written to (also printed on stdout)
--   SITE_ROOT    root_dir of the client (the MkDocs site, folder of mkdocs.yml); default: cwd
--   LSP_TIMEOUT  ms per step (default 20000)
--
-- Steps, on the page opened on the command line (every position is found by searching the
-- buffer text, never hard-coded):
--   1. completion: append `- Law` after the last list item of "## Related Laws & Pillars",
--      complete at its end, apply the "Law 2: Asynchronous Reality" item's edit (utf-16)
--   2. hover on the target of a link to bulkhead.md
--   3. definition on that link
--   4. references on the H1
--   5. diagnostics: wait until vim.diagnostic.get has a broken-link and a missing-section one
-- Each check records ok + what it saw; the node test asserts the precise values.
-- Exit: 0 all checks ok, 1 a check failed, 2 the server did not start/initialize.
-- Only Neovim 0.7 API: vim.lsp.start_client + buf_attach_client, on_init + vim.wait,
-- buf_request_sync, vim.diagnostic.get, vim.fn.json_encode, client.stop, cquit.

local timeout = tonumber(os.getenv('LSP_TIMEOUT') or '') or 20000
local out_file = os.getenv('LSP_OUT')
local site_root = os.getenv('SITE_ROOT')
if not site_root or site_root == '' then site_root = vim.fn.getcwd() end

local v = vim.version()
local result = { nvim = v.major .. '.' .. v.minor .. '.' .. v.patch, checks = {}, server_log = {} }
local t0 = vim.loop.hrtime()
local function ms() return math.floor((vim.loop.hrtime() - t0) / 1e6) end

local finished = false
local client_id, initialized
local function finish(code)
  if finished then return end
  finished = true
  result.elapsed_ms = ms()
  -- Stop the client first (shutdown + exit; kill after a grace period) so no server is orphaned
  -- and the verdict can say how the server ended.
  -- get_client_by_id also finds a client whose initialize never finished (not "active" on 0.7).
  local c = client_id and vim.lsp.get_client_by_id(client_id)
  local clean = true
  if c and result.server_exit == nil then
    c.stop(not initialized) -- graceful shutdown + exit once initialized; else kill
    clean = vim.wait(5000, function() return result.server_exit ~= nil end, 20)
    if not clean then
      c.stop(true)
      vim.wait(2000, function() return result.server_exit ~= nil end, 20)
    end
  end
  result.stopped_gracefully = clean
  result.stop_ms = ms() - result.elapsed_ms
  result.exit_code = code
  local ok_json, json = pcall(vim.fn.json_encode, result)
  if not ok_json then
    result.encode_error = tostring(json)
    for _, c in ipairs(result.checks) do
      for _, k in ipairs({ 'labels', 'item', 'edit', 'links', 'locations', 'diagnostics', 'value', 'range' }) do c[k] = nil end
    end
    json = vim.fn.json_encode(result)
  end
  io.stdout:write(json .. '\n')
  io.stdout:flush()
  if out_file and out_file ~= '' then
    local f = io.open(out_file, 'w')
    if f then f:write(json .. '\n'); f:close() end
  end
  if code == 0 then vim.cmd('qall!') else vim.cmd('cquit ' .. code) end
end

local ok_cmd, cmd = pcall(vim.fn.json_decode, os.getenv('LSP_CMD') or '')
if not ok_cmd or type(cmd) ~= 'table' or #cmd == 0 then
  result.error = 'LSP_CMD must be a JSON array'
  return finish(2)
end

local bufnr = vim.api.nvim_get_current_buf()
local uri = vim.uri_from_bufnr(bufnr)
result.file = vim.api.nvim_buf_get_name(bufnr)
result.uri = uri
result.site_root = site_root
if vim.api.nvim_buf_line_count(bufnr) < 2 then
  result.error = 'no page opened (pass the pattern page on the command line)'
  return finish(2)
end

initialized = false
local config = {
  name = 'pattern-atlas',
  cmd = cmd,
  root_dir = site_root,
  on_init = function(_, init_result)
    initialized = true
    result.server_info = init_result and init_result.serverInfo or vim.NIL
  end,
  handlers = {
    ['window/logMessage'] = function(_, params)
      table.insert(result.server_log, params and params.message or '')
    end,
    ['window/showMessage'] = function(_, params)
      table.insert(result.server_log, 'showMessage: ' .. (params and params.message or ''))
    end,
  },
  on_exit = function(code, signal) result.server_exit = { code = code, signal = signal } end,
}

if vim.lsp.start then -- Neovim >= 0.8 (not the target, but harmless)
  client_id = vim.lsp.start(config)
else -- Neovim 0.7
  client_id = vim.lsp.start_client(config)
  if client_id then vim.lsp.buf_attach_client(bufnr, client_id) end
end
result.client_id = client_id or vim.NIL
if not client_id then
  result.error = 'vim.lsp.start_client failed'
  return finish(2)
end
if not vim.wait(timeout, function() return initialized or result.server_exit ~= nil end, 20) or not initialized then
  result.error = result.server_exit and 'server exited before initialize' or 'initialize timed out'
  return finish(2)
end
result.init_ms = ms()
local client = vim.lsp.get_client_by_id(client_id)
result.offset_encoding = client and client.offset_encoding or vim.NIL

-- ------------------------------------------------------------------ helpers

local failed = false
local function add_check(entry)
  if not entry.ok then failed = true end
  table.insert(result.checks, entry)
  return entry
end

local function lines() return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false) end

--- UTF-16 column of a 0-based byte index in `line` (what the server's positions count).
local function utf16(line, byte0)
  local _, u16 = vim.str_utfindex(line, byte0)
  return u16
end

--- First line containing `needle` (plain); returns 0-based line, 1-based byte start, the line.
local function find_text(needle, from)
  local ls = lines()
  for i = (from or 0) + 1, #ls do
    local s = string.find(ls[i], needle, 1, true)
    if s then return i - 1, s, ls[i] end
  end
  return nil
end

--- Sends one request; returns result, error string, elapsed ms.
local function request(method, params)
  local started = ms()
  local resp, err = vim.lsp.buf_request_sync(bufnr, method, params, timeout)
  local elapsed = ms() - started
  if not resp then return nil, 'no response: ' .. tostring(err), elapsed end
  local r = resp[client_id]
  if not r then return nil, 'no response from client ' .. client_id, elapsed end
  local e = r.err or r.error
  if e then return nil, type(e) == 'table' and (e.message or vim.inspect(e)) or tostring(e), elapsed end
  return r.result, nil, elapsed
end

local function pos_params(line, character)
  return { textDocument = { uri = uri }, position = { line = line, character = character } }
end

local function as_list(x)
  if x == nil or x == vim.NIL then return {} end
  if x.uri or x.targetUri then return { x } end
  return x
end

local function loc_uri(l) return l.uri or l.targetUri end
local function loc_range(l) return l.range or l.targetSelectionRange or l.targetRange end

-- Every step runs under pcall: a Lua error in one check is recorded, not fatal.
local function step(name, fn)
  local ok, err = pcall(fn)
  if not ok then add_check({ name = name, ok = false, error = 'lua error: ' .. tostring(err) }) end
end

-- ------------------------------------------------------------------ 1. Law completion

step('completion', function()
  local heading = find_text('## Related Laws & Pillars')
  if not heading then
    return add_check({ name = 'completion', ok = false, error = 'heading "## Related Laws & Pillars" not found in the buffer' })
  end
  -- The section ends at the next heading (or the end of the buffer). Its last list item ends at
  -- the last line that is a list item or an indented continuation of one.
  local ls = lines()
  local last_item
  local in_item = false
  for i = heading + 2, #ls do -- 1-based index of the line after the heading
    local l = ls[i]
    if l:match('^#+%s') then break end
    if l:match('^%s*[-*+]%s') then
      in_item = true; last_item = i - 1
    elseif in_item and l:match('^%s+%S') then
      last_item = i - 1
    elseif l:match('%S') then
      in_item = false
    end
  end
  if not last_item then
    return add_check({ name = 'completion', ok = false, heading_line = heading, error = 'no list item in the section' })
  end
  local line = last_item + 1
  local typed = '- Law'
  vim.api.nvim_buf_set_lines(bufnr, line, line, false, { typed })
  local character = utf16(typed, #typed)
  local params = pos_params(line, character)
  params.context = { triggerKind = 1 }
  local res, err, elapsed = request('textDocument/completion', params)
  local entry = { name = 'completion', heading_line = heading, line = line, character = character, ms = elapsed }
  if err then entry.ok = false; entry.error = err; return add_check(entry) end
  local items = (res == nil or res == vim.NIL) and {} or (res.items or res)
  entry.is_incomplete = type(res) == 'table' and res.isIncomplete or vim.NIL
  entry.labels = {}
  local law2
  for _, it in ipairs(items) do
    table.insert(entry.labels, it.label)
    if it.label == 'Law 2: Asynchronous Reality' then law2 = it end
  end
  entry.count = #items
  if law2 then
    entry.item = {
      label = law2.label,
      kind = law2.kind,
      detail = law2.detail,
      filterText = law2.filterText,
      insertText = law2.insertText,
      insertTextFormat = law2.insertTextFormat,
      -- copied: apply_text_edits adds bookkeeping keys (_index) to the edits it is given
      textEdit = law2.textEdit and vim.deepcopy(law2.textEdit) or vim.NIL,
      additionalTextEdits = law2.additionalTextEdits and vim.deepcopy(law2.additionalTextEdits) or vim.NIL,
    }
  end
  entry.ok = #items > 0 and law2 ~= nil
  add_check(entry)
  if not law2 then
    return add_check({ name = 'apply', ok = false, error = 'no "Law 2: Asynchronous Reality" item to apply' })
  end

  -- Apply the item the way a completion UI without snippets does: its textEdit, else insertText
  -- (or the label) over the word before the cursor.
  local edit = law2.textEdit and vim.deepcopy(law2.textEdit)
  if edit and edit.range == nil and edit.replace then edit = { range = edit.replace, newText = edit.newText } end
  if not edit then
    local word_start = typed:find('%S+$') - 1
    edit = {
      range = { start = { line = line, character = utf16(typed, word_start) }, ['end'] = { line = line, character = character } },
      newText = law2.insertText or law2.label,
    }
  end
  local recorded = vim.deepcopy(edit)
  local edits = { edit }
  for _, e in ipairs(law2.additionalTextEdits or {}) do table.insert(edits, e) end
  vim.lsp.util.apply_text_edits(edits, bufnr, 'utf-16')
  local applied = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1]
  add_check({
    name = 'apply',
    line = line,
    edit = recorded,
    text = applied,
    ok = applied ~= nil and applied:match('^%- %[Law 2: Asynchronous Reality%]%([^()%s]+%)$') ~= nil,
  })

  -- Did Neovim's incremental didChange reach the server intact? Its document links on the new
  -- line must cover the inserted link target (the request flushes pending changes first).
  local res2, err2, elapsed2 = request('textDocument/documentLink', { textDocument = { uri = uri } })
  local sync = { name = 'sync', line = line, ms = elapsed2, links = {} }
  if err2 then sync.ok = false; sync.error = err2; return add_check(sync) end
  for _, l in ipairs(res2 == vim.NIL and {} or res2 or {}) do
    if l.range.start.line == line then
      local s16, e16 = l.range.start.character, l.range['end'].character
      local sb = vim.str_byteindex(applied, s16, true)
      local eb = vim.str_byteindex(applied, e16, true)
      table.insert(sync.links, { range = l.range, target = l.target or vim.NIL, text = applied:sub(sb + 1, eb) })
    end
  end
  sync.ok = #sync.links > 0
  if not sync.ok then sync.error = 'the server has no document link on line ' .. line end
  add_check(sync)
end)

-- ------------------------------------------------------------------ 2./3. hover + definition on a bulkhead.md link

local link_line, link_char
step('hover', function()
  local l, s, text = find_text('](bulkhead.md')
  if not l then return add_check({ name = 'hover', ok = false, error = 'no link to bulkhead.md in the buffer' }) end
  -- s is the 1-based byte of `]`; the target starts 2 bytes later. Aim inside it (`bul|khead`).
  link_line, link_char = l, utf16(text, s + 1) + 3
  local res, err, elapsed = request('textDocument/hover', pos_params(link_line, link_char))
  local entry = { name = 'hover', line = link_line, character = link_char, ms = elapsed }
  if err then entry.ok = false; entry.error = err; return add_check(entry) end
  local value = ''
  if type(res) == 'table' and res.contents then
    local c = res.contents
    if type(c) == 'string' then value = c
    elseif c.value then value = c.value
    else
      local parts = {}
      for _, p in ipairs(c) do table.insert(parts, type(p) == 'string' and p or p.value or '') end
      value = table.concat(parts, '\n')
    end
    entry.kind = type(c) == 'table' and c.kind or vim.NIL
    entry.range = res.range
  end
  entry.value = value
  entry.ok = value ~= ''
  add_check(entry)
end)

step('definition', function()
  if not link_line then return add_check({ name = 'definition', ok = false, error = 'no link to bulkhead.md in the buffer' }) end
  local res, err, elapsed = request('textDocument/definition', pos_params(link_line, link_char))
  local entry = { name = 'definition', line = link_line, character = link_char, ms = elapsed }
  if err then entry.ok = false; entry.error = err; return add_check(entry) end
  entry.locations = {}
  local hit = false
  for _, l in ipairs(as_list(res)) do
    local u = loc_uri(l)
    table.insert(entry.locations, { uri = u, range = loc_range(l), path = u and vim.uri_to_fname(u) or vim.NIL })
    if u and u:match('/bulkhead%.md$') then hit = true end
  end
  entry.ok = hit
  add_check(entry)
end)

-- ------------------------------------------------------------------ 4. references on the H1

step('references', function()
  local ls = lines()
  local h1
  for i, l in ipairs(ls) do
    if l:match('^#%s+%S') then h1 = i - 1; break end
  end
  if not h1 then return add_check({ name = 'references', ok = false, error = 'no H1 in the buffer' }) end
  local params = pos_params(h1, 2)
  params.context = { includeDeclaration = false }
  local res, err, elapsed = request('textDocument/references', params)
  local entry = { name = 'references', line = h1, character = 2, heading = ls[h1 + 1], ms = elapsed }
  if err then entry.ok = false; entry.error = err; return add_check(entry) end
  entry.locations = {}
  local others = 0
  for _, l in ipairs(as_list(res)) do
    local u = loc_uri(l)
    local path = u and vim.uri_to_fname(u) or ''
    table.insert(entry.locations, { uri = u, path = path, range = loc_range(l) })
    if u ~= uri then others = others + 1 end
  end
  entry.other_files = others
  entry.ok = others > 0
  add_check(entry)
end)

-- ------------------------------------------------------------------ 5. pushed diagnostics

step('diagnostics', function()
  local function has(code)
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == code then return true end
    end
    return false
  end
  local started = ms()
  local got = vim.wait(timeout, function() return has('broken-link') and has('missing-section') end, 20)
  local entry = { name = 'diagnostics', ms = ms() - started, waited_until = ms(), diagnostics = {} }
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(entry.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      code = d.code == nil and vim.NIL or d.code, message = d.message, severity = d.severity,
      source = d.source == nil and vim.NIL or d.source,
    })
  end
  entry.ok = got
  if not got then entry.error = 'no broken-link + missing-section diagnostics within ' .. timeout .. ' ms' end
  add_check(entry)
end)

finish(failed and 1 or 0)
