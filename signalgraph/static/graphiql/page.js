// Signalgraph's GraphiQL page: the editor against this server's /graphql, with the explorer plugin.
// No inline script (the page runs under `Content-Security-Policy: default-src 'self'`), and headers are
// never persisted: an API key pasted into the header editor leaves with the tab, not in localStorage
// (GraphiQL's history and tab state would keep them even with shouldPersistHeaders off, so the storage
// it is given drops every `headers` value before writing).
(function () {
  "use strict";

  var DEFAULT_QUERY = [
    "# Welcome to Signalgraph. Put your API key after `Bearer `",
    "# in Headers below, then run this query (Ctrl-Enter).",
    "# The explorer (left) lists every field you can ask for.",
    "{",
    "  viewer {",
    "    workspace { id name }",
    "    key { name prefix }",
    "    scopes",
    "  }",
    "}",
    "",
  ].join("\n");
  var DEFAULT_HEADERS = JSON.stringify({ Authorization: "Bearer " }, null, 2);

  function withoutHeaders(value) {
    if (Array.isArray(value)) return value.map(withoutHeaders);
    if (value === null || typeof value !== "object") return value;
    var copy = {};
    Object.keys(value).forEach(function (key) {
      if (key !== "headers") copy[key] = withoutHeaders(value[key]);
    });
    return copy;
  }

  var storage = {
    getItem: function (key) { return window.localStorage.getItem(key); },
    setItem: function (key, value) {
      var kept = value;
      try { kept = JSON.stringify(withoutHeaders(JSON.parse(value))); } catch (notJson) { /* plain text */ }
      window.localStorage.setItem(key, kept);
    },
    removeItem: function (key) { window.localStorage.removeItem(key); },
    clear: function () { window.localStorage.clear(); },
    get length() { return window.localStorage.length; },
  };

  var parameters = new URLSearchParams(window.location.search);
  var endpoint = window.location.origin + window.location.pathname;
  var serverFetcher = GraphiQL.createFetcher({ url: endpoint });
  var NO_KEY = {
    errors: [{
      message: "Put your API key after `Bearer ` in Headers below: /graphql answers 401 to a request without one.",
      extensions: { code: "UNAUTHENTICATED" },
    }],
  };

  // The server refuses a request without a key before reading it (401): the editor does not send one
  // (its schema request on load included), and says what is missing instead.
  function fetcher(params, options) {
    var headers = (options && options.headers) || {};
    var key = Object.keys(headers).filter(function (name) { return name.toLowerCase() === "authorization"; })[0];
    if (!key || !/^Bearer\s+\S+/i.test(String(headers[key]).trim())) return Promise.resolve(NO_KEY);
    return serverFetcher(params, options);
  }
  var explorer = GraphiQLPluginExplorer.explorerPlugin();

  function App() {
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      plugins: [explorer],
      defaultQuery: DEFAULT_QUERY,
      query: parameters.get("query") || undefined,
      variables: parameters.get("variables") || undefined,
      defaultHeaders: DEFAULT_HEADERS,
      defaultEditorToolsVisibility: "headers",
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      storage: storage,
      inputValueDeprecation: true,
    });
  }

  ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(App));
})();
