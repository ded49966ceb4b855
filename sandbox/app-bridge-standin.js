// Pointwise sandbox: a stand-in for Shopify App Bridge (cdn.shopify.com/shopifycloud/app-bridge.js),
// served only by `npm run sandbox` at /sandbox/app-bridge.js. It provides what the app uses of
// `window.shopify` — fresh session tokens, toasts, loading, save bar — and, as App Bridge does,
// adds `Authorization: Bearer <session token>` to the app's own fetch requests. Plain JavaScript,
// no build step; it must run before the app's scripts.
(function () {
  "use strict";
  // The sandbox server prepends `window.__POINTWISE_SANDBOX__ = {shop, host, apiKey}` when it serves this file.
  var config = window.__POINTWISE_SANDBOX__ || {};
  var apiKey = document.currentScript.getAttribute("data-api-key") || config.apiKey;
  var cached = null;

  function fetchToken() {
    return originalFetch("/sandbox/session-token?shop=" + encodeURIComponent(config.shop), {
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("The sandbox refused a session token: " + response.status);
        return response.json();
      })
      .then(function (body) {
        // Session tokens live one minute; renew a little before that.
        cached = { token: body.token, until: Date.now() + 45000 };
        return body.token;
      });
  }

  function idToken() {
    if (cached && cached.until > Date.now()) return Promise.resolve(cached.token);
    return fetchToken();
  }

  var toastRegion = null;
  function showToast(message, options) {
    if (!toastRegion) {
      toastRegion = document.createElement("div");
      toastRegion.setAttribute("role", "status");
      toastRegion.setAttribute("data-sandbox-toasts", "");
      toastRegion.style.cssText =
        "position:fixed;bottom:24px;left:50%;transform:translateX(-50%);z-index:10000;display:flex;flex-direction:column;gap:8px;font:14px system-ui,sans-serif";
      document.body.appendChild(toastRegion);
    }
    var toast = document.createElement("div");
    var isError = options && options.isError;
    toast.textContent = message;
    toast.style.cssText =
      "padding:10px 16px;border-radius:8px;color:#fff;background:" + (isError ? "#8e1f0b" : "#303030");
    toastRegion.appendChild(toast);
    var id = "toast-" + Date.now() + "-" + Math.random().toString(36).slice(2);
    toast.id = id;
    setTimeout(
      function () {
        toast.remove();
      },
      (options && options.duration) || 5000,
    );
    return id;
  }

  var saveBars = {};
  window.shopify = {
    config: { apiKey: apiKey, shop: config.shop, host: config.host, locale: "en" },
    environment: { embedded: true, mobile: false, pos: false },
    origin: location.origin,
    idToken: idToken,
    toast: {
      show: showToast,
      hide: function (id) {
        var node = document.getElementById(id);
        if (node) node.remove();
      },
    },
    loading: function (isLoading) {
      document.documentElement.toggleAttribute("data-sandbox-loading", Boolean(isLoading));
    },
    saveBar: {
      show: function (id) {
        saveBars[id] = true;
        return Promise.resolve();
      },
      hide: function (id) {
        delete saveBars[id];
        return Promise.resolve();
      },
      toggle: function (id) {
        if (saveBars[id]) delete saveBars[id];
        else saveBars[id] = true;
        return Promise.resolve();
      },
      leaveConfirmation: function () {
        return Promise.resolve();
      },
    },
    modal: {
      show: function () {
        return Promise.resolve();
      },
      hide: function () {
        return Promise.resolve();
      },
      toggle: function () {
        return Promise.resolve();
      },
    },
    user: function () {
      return Promise.resolve({ name: "Sandbox Staff", accountAccess: "Account owner" });
    },
    resourcePicker: function () {
      return Promise.resolve(undefined);
    },
  };

  // App Bridge authenticates the app's own requests with a fresh session token.
  var originalFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var request = new Request(input, init);
    var url = new URL(request.url, location.href);
    if (
      url.origin !== location.origin ||
      url.pathname.indexOf("/sandbox/") === 0 ||
      request.headers.has("Authorization")
    ) {
      return originalFetch(request);
    }
    return idToken().then(function (token) {
      var headers = new Headers(request.headers);
      headers.set("Authorization", "Bearer " + token);
      return originalFetch(new Request(request, { headers: headers }));
    });
  };

  // <ui-nav-menu> lives in Shopify admin's sidebar; here it is a bar above the app. A click asks the
  // app to navigate, as admin does, with a `shopify:navigate` event on the link. (Its links may not
  // be parsed yet when the element connects, so styling is CSS and clicks are delegated.)
  var style = document.createElement("style");
  style.textContent =
    "ui-nav-menu{display:flex;gap:16px;padding:10px 20px;background:#1a1a1a;font:14px system-ui,sans-serif}" +
    "ui-nav-menu a{color:#e3e3e3;text-decoration:none}ui-nav-menu a:hover{color:#fff}" +
    "ui-nav-menu a[rel=home]::before{content:'Pointwise \\00B7  '}" +
    "ui-title-bar,ui-save-bar,ui-modal{display:none}";
  document.head.appendChild(style);
  if (!customElements.get("ui-nav-menu")) {
    customElements.define(
      "ui-nav-menu",
      class extends HTMLElement {
        connectedCallback() {
          this.setAttribute("role", "navigation");
          this.addEventListener("click", function (event) {
            var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
            if (!link) return;
            event.preventDefault();
            link.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
          });
        }
      },
    );
  }
  ["ui-title-bar", "ui-save-bar", "ui-modal"].forEach(function (name) {
    if (!customElements.get(name)) customElements.define(name, class extends HTMLElement {});
  });
})();
