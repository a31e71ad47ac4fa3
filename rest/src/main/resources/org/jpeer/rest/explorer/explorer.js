// The jpeer block explorer: plain JS, no framework, no build step. Every ledger value (chaincode
// names, arguments: user input) reaches the DOM through textContent only, never as HTML.
'use strict';

(() => {
  const LATEST = 10; // blocks listed
  const WINDOW = 60; // seconds in the chart
  const POLL_MS = 2000; // the /chain poll when the event stream is down
  const PEERS_MS = 10000;

  const $ = (id) => document.getElementById(id);
  const rows = new Map(); // block number -> decoded block (the latest LATEST)
  const samples = new Map(); // block number -> {at: commit time ms, count: transactions}
  let height = 0; // blocks shown so far
  let target = 0; // the height to catch up to
  let catching = false;
  let pollTimer = null;
  let source = null;

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      throw new Error(url + ': HTTP ' + response.status + ', not JSON');
    }
    if (!response.ok) {
      throw new Error(url + ': ' + (body && body.Error ? body.Error : 'HTTP ' + response.status));
    }
    return body;
  }

  function showError(error) {
    const footer = $('error');
    footer.textContent = new Date().toLocaleTimeString() + ' ' + (error && error.message ? error.message : String(error));
    footer.hidden = false;
  }

  function el(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (className) e.className = className;
    return e;
  }

  function link(href, text, className) {
    const a = el('a', text, className);
    a.href = href;
    return a;
  }

  function time(ms) {
    return ms ? new Date(ms).toLocaleTimeString() : '–';
  }

  function short(txid) {
    return txid.length > 16 ? txid.slice(0, 8) + '…' + txid.slice(-4) : txid;
  }

  function argText(arg) {
    return typeof arg === 'string' ? arg : 'base64:' + arg.base64;
  }

  function args(list) {
    const span = el('span');
    for (const a of list || []) span.append(el('span', argText(a), 'arg'));
    return span;
  }

  function sample(number, at, count) {
    if (at) samples.set(number, { at, count });
  }

  // --- height and the latest blocks -------------------------------------------------------------

  function advanceTo(h) {
    target = Math.max(target, h);
    if (catching) return; // the running loop picks the new target up
    catching = true;
    (async () => {
      try {
        while (height < target) {
          const to = target;
          const from = Math.max(height, to - LATEST);
          for (let n = from; n < to; n++) {
            const block = await getJson('api/blocks/' + n);
            rows.set(n, block);
            sample(n, block.committedAt || block.createdAt, block.transactions.length);
          }
          height = to;
          for (const n of rows.keys()) if (n < height - LATEST) rows.delete(n);
          $('height').textContent = String(height);
          renderBlocks();
          renderChart();
        }
      } catch (e) {
        showError(e);
      } finally {
        catching = false;
      }
    })();
  }

  function renderBlocks() {
    const body = $('blocks').tBodies[0];
    const chosen = currentBlock();
    body.replaceChildren();
    for (const n of [...rows.keys()].sort((a, b) => b - a)) {
      const block = rows.get(n);
      const tr = el('tr', null, 'pick');
      tr.dataset.number = String(n);
      if (n === chosen) tr.classList.add('chosen');
      const first = el('td');
      first.append(link('#block/' + n, n));
      tr.append(first, el('td', time(block.committedAt || block.createdAt)), el('td', block.transactions.length),
        el('td', block.failed ? block.failed.length : '–'));
      tr.addEventListener('click', () => { location.hash = '#block/' + n; });
      body.append(tr);
    }
  }

  // --- live: the event stream, or polling -------------------------------------------------------

  function setLive(state) {
    const live = $('live');
    live.textContent = state;
    live.className = 'state ' + state.split(' ')[0];
  }

  function startPolling() {
    if (pollTimer !== null) return;
    setLive('polling /chain');
    const poll = async () => {
      try {
        advanceTo((await getJson('../chain')).height);
      } catch (e) {
        showError(e);
      }
    };
    poll();
    pollTimer = setInterval(poll, POLL_MS);
  }

  function stopPolling() {
    if (pollTimer !== null) clearInterval(pollTimer);
    pollTimer = null;
  }

  function connect() {
    if (typeof window.EventSource !== 'function') {
      startPolling();
      return;
    }
    source = new EventSource('../events?types=block');
    source.addEventListener('open', () => {
      stopPolling();
      setLive('live');
    });
    source.addEventListener('block', (event) => {
      // id: <block>.<index>; data: the REST block JSON
      const number = Number(event.lastEventId.split('.')[0]);
      try {
        const block = JSON.parse(event.data);
        const ts = (block.nonHashData && block.nonHashData.localLedgerCommitTimestamp) || block.timestamp;
        sample(number, ts ? ts.seconds * 1000 + Math.floor((ts.nanos || 0) / 1e6) : 0,
          (block.transactions || []).length);
      } catch (e) {
        showError(e);
      }
      advanceTo(number + 1);
    });
    source.addEventListener('error', () => {
      // EventSource retries by itself while CONNECTING; a 404 or 503 (no event hub) closes it
      startPolling();
      if (source.readyState === EventSource.CLOSED) {
        source = null;
        setTimeout(connect, 30000);
      }
    });
  }

  // --- the chart --------------------------------------------------------------------------------

  const SVG = 'http://www.w3.org/2000/svg';

  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function renderChart() {
    const chart = $('chart');
    const width = 600, height = 160, left = 34, bottom = 18, top = 8;
    const end = Math.floor(Date.now() / 1000) + 1;
    const buckets = new Array(WINDOW).fill(0);
    for (const [n, s] of samples) {
      const i = WINDOW - (end - Math.floor(s.at / 1000));
      if (i >= 0 && i < WINDOW) buckets[i] += s.count;
      else if (i < 0) samples.delete(n);
    }
    const max = Math.max(1, ...buckets);
    const total = buckets.reduce((a, b) => a + b, 0);
    const slot = (width - left) / WINDOW;
    const plot = height - bottom - top;
    const parts = [
      svg('line', { x1: left, y1: top + plot, x2: width, y2: top + plot, class: 'axis' }),
      svg('line', { x1: left, y1: top, x2: left, y2: top + plot, class: 'axis' }),
      svg('text', { x: left - 4, y: top + 8, 'text-anchor': 'end' }, String(max)),
      svg('text', { x: left - 4, y: top + plot, 'text-anchor': 'end' }, '0'),
      svg('text', { x: left, y: height - 4 }, '-' + WINDOW + ' s'),
      svg('text', { x: width, y: height - 4, 'text-anchor': 'end' }, 'now'),
      svg('text', { x: (width + left) / 2, y: height - 4, 'text-anchor': 'middle', id: 'chart-total' },
        total + ' tx in ' + WINDOW + ' s'),
    ];
    buckets.forEach((count, i) => {
      if (count === 0) return;
      const h = Math.max(1, (count / max) * plot);
      const bar = svg('rect', { x: left + i * slot + 1, y: top + plot - h, width: Math.max(1, slot - 2), height: h, class: 'bar' });
      bar.append(svg('title', {}, count + ' tx/s'));
      parts.push(bar);
    });
    chart.replaceChildren(...parts);
  }

  // --- one block, one transaction ---------------------------------------------------------------

  function currentBlock() {
    const m = /^#block\/(\d+)$/.exec(location.hash);
    return m ? Number(m[1]) : null;
  }

  function outcome(text, className) {
    return el('td', text, className);
  }

  async function showBlock(n) {
    const block = await getJson('api/blocks/' + n);
    $('block-number').textContent = String(n);
    const body = $('block-txs').tBodies[0];
    body.replaceChildren();
    const add = (tx, result) => {
      const tr = el('tr');
      const id = el('td', null, 'mono');
      id.append(link('#tx/' + encodeURIComponent(tx.txid), short(tx.txid), 'txlink'));
      id.firstChild.title = tx.txid;
      const argsCell = el('td');
      argsCell.append(args(tx.args));
      tr.append(id, el('td', tx.type), el('td', tx.chaincode !== undefined ? short(tx.chaincode) : tx.decodeError, 'mono'),
        el('td', tx.function === undefined ? '' : argText(tx.function)), argsCell, result);
      if (tx.chaincode !== undefined) tr.children[2].title = tx.chaincode;
      body.append(tr);
    };
    for (const tx of block.transactions) add(tx, outcome('committed', 'committed'));
    for (const tx of block.failed || []) add(tx, outcome('failed: ' + tx.reason, 'failed'));
    const empty = block.transactions.length === 0 && !(block.failed && block.failed.length);
    $('block-empty').textContent = empty ? 'No transactions in this block.' : '';
    $('block-empty').hidden = !empty;
    $('block-txs').hidden = empty;
    for (const tr of $('blocks').tBodies[0].rows) tr.classList.toggle('chosen', tr.dataset.number === String(n));
  }

  async function showTx(txid) {
    const tx = await getJson('api/transactions/' + encodeURIComponent(txid));
    $('tx-input').value = txid;
    $('tx-id').textContent = tx.txid;
    $('tx-id').className = 'mono';
    const status = $('tx-status');
    status.replaceChildren();
    status.className = tx.status;
    if (tx.status === 'committed') {
      status.append('committed in block ', link('#block/' + tx.blockNumber, tx.blockNumber));
    } else if (tx.status === 'failed') {
      status.append('failed in block ', link('#block/' + tx.blockNumber, tx.blockNumber), ': ' + tx.reason);
    } else {
      status.textContent = 'unknown: this peer has neither committed nor failed it';
    }
    $('tx-type').textContent = tx.type || '–';
    $('tx-chaincode').textContent = tx.chaincode !== undefined ? tx.chaincode : (tx.decodeError || '–');
    $('tx-chaincode').className = 'mono';
    $('tx-function').textContent = tx.function !== undefined ? argText(tx.function) : '–';
    $('tx-args').replaceChildren(args(tx.args));
    $('tx').hidden = false;
    // and the block it is in, where its neighbours are
    if (tx.blockNumber !== undefined) await showBlock(tx.blockNumber);
  }

  function route() {
    const block = currentBlock();
    if (block !== null) showBlock(block).catch(showError);
    const m = /^#tx\/(.+)$/.exec(location.hash);
    if (m) showTx(decodeURIComponent(m[1])).catch(showError);
  }

  // --- peers ------------------------------------------------------------------------------------

  const PEER_TYPES = { 1: 'validator', 2: 'non-validator' };

  async function refreshPeers() {
    try {
      const answer = await getJson('../network/peers');
      const body = $('peers').tBodies[0];
      body.replaceChildren();
      for (const p of answer.peers || []) {
        const tr = el('tr');
        tr.append(el('td', p.ID ? p.ID.name : ''), el('td', p.address, 'mono'), el('td', PEER_TYPES[p.type] || 'undefined'));
        body.append(tr);
      }
    } catch (e) {
      showError(e);
    }
  }

  // --- start ------------------------------------------------------------------------------------

  $('tx-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const txid = $('tx-input').value.trim();
    if (txid) location.hash = '#tx/' + encodeURIComponent(txid);
  });
  window.addEventListener('hashchange', route);

  (async () => {
    try {
      advanceTo((await getJson('../chain')).height);
    } catch (e) {
      showError(e);
    }
    connect();
    route();
    refreshPeers();
    setInterval(refreshPeers, PEERS_MS);
    setInterval(renderChart, 1000);
  })();
})();
