package io.lbkit.cli;

import io.lbkit.api.LoadBalancerStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium (Debian's {@code chromium}) driven over its DevTools protocol with the
 * JDK's WebSocket client: open a page, evaluate JavaScript in it, size the viewport, take
 * screenshots. Started with a fresh profile and no background traffic; stopped by close.
 */
final class Chromium implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");
  private static final Pattern PAGE_WS = Pattern.compile("\"type\":\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\":\\s*\"([^\"]+)\"");
  private final Process process;
  private final WebSocket ws;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();

  Chromium(Path profile, String url) throws Exception {
    process = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
        "--window-size=1280,800", url).redirectErrorStream(true).start();
    try {
      ws = connect();
    } catch (Exception | Error e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private WebSocket connect() throws Exception {
    int port = devtoolsPort();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String ws = null;
    long end = System.nanoTime() + 10_000_000_000L;
    while (ws == null && System.nanoTime() < end) {
      String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = PAGE_WS.matcher(list);
      if (m.find()) {
        ws = m.group(1);
      } else {
        Thread.sleep(100);
      }
    }
    if (ws == null) {
      throw new IllegalStateException("chromium opened no page");
    }
    return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(URI.create(ws),
        new Listener()).get(10, TimeUnit.SECONDS);
  }

  private int devtoolsPort() throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        String line;
        while ((line = in.readLine()) != null) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException e) {
        port.completeExceptionally(e);
      }
      port.completeExceptionally(new IllegalStateException("chromium exited without a DevTools port"));
    }, "chromium-output");
    t.setDaemon(true);
    t.start();
    return port.get(30, TimeUnit.SECONDS);
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String msg = text.toString();
        text.setLength(0);
        Matcher m = Pattern.compile("^\\{\"id\":(\\d+),").matcher(msg);
        if (m.find()) {
          CompletableFuture<String> f = waiting.remove(Integer.parseInt(m.group(1)));
          if (f != null) {
            f.complete(msg);
          }
        }
      }
      w.request(1);
      return null;
    }
  }

  /** Sends a DevTools command and returns its whole answer. */
  String send(String method, String params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<String> f = new CompletableFuture<>();
    waiting.put(id, f);
    ws.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true)
        .get(5, TimeUnit.SECONDS);
    String answer = f.get(10, TimeUnit.SECONDS);
    if (answer.contains("\"error\":")) {
      throw new IllegalStateException(method + ": " + answer);
    }
    return answer;
  }

  /** Evaluates a JavaScript expression whose value is a string (or null: "null"). */
  String eval(String expression) throws Exception {
    String a = send("Runtime.evaluate", "{\"expression\":" + LoadBalancerStatus.jsonString("String(" + expression + ")")
        + ",\"returnByValue\":true}");
    Matcher m = Pattern.compile("\"value\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(a);
    return m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : null;
  }

  void viewport(int width, int height) throws Exception {
    send("Emulation.setDeviceMetricsOverride", "{\"width\":" + width + ",\"height\":" + height
        + ",\"deviceScaleFactor\":1,\"mobile\":false}");
  }

  void screenshot(Path png) throws Exception {
    String a = send("Page.captureScreenshot", "{\"format\":\"png\"}");
    Matcher m = Pattern.compile("\"data\":\"([^\"]+)\"").matcher(a);
    if (!m.find()) {
      throw new IllegalStateException("no screenshot: " + a);
    }
    Files.createDirectories(png.getParent());
    Files.write(png, Base64.getDecoder().decode(m.group(1)));
  }

  @Override
  public void close() throws Exception {
    if (ws != null) {
      ws.abort();
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
