package io.netform.agent.git;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A smart-HTTP git host on 127.0.0.1: the real {@code git http-backend} (as CGI) behind HTTP
 * basic authentication for one user and password, as a forge asks for a token.
 */
final class TestHttpGitServer implements AutoCloseable {

  private final HttpServer server;
  private final Path root;
  private final String expected;
  /** The user names tried, right or wrong, in order. */
  final List<String> triedUsers = new CopyOnWriteArrayList<>();

  /** Must be called where 127.0.0.1 is up: see {@link Loopback}. */
  TestHttpGitServer(Path root, String user, String password) throws IOException {
    this.root = root;
    this.expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code http://USERINFO127.0.0.1:PORT/NAME}; userInfo is "" or ends with "@". */
  String url(String userInfo, String name) {
    return "http://" + userInfo + "127.0.0.1:" + server.getAddress().getPort() + "/" + name;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth != null && auth.startsWith("Basic ")) {
        String decoded = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
        triedUsers.add(decoded.substring(0, Math.max(0, decoded.indexOf(':'))));
      }
      if (!expected.equals(auth)) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      cgi(exchange);
    }
  }

  /** Runs git http-backend for the request and relays its CGI answer. */
  private void cgi(HttpExchange exchange) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
    Map<String, String> env = pb.environment();
    env.put("GIT_PROJECT_ROOT", root.toString());
    env.put("GIT_HTTP_EXPORT_ALL", "1");
    env.put("REQUEST_METHOD", exchange.getRequestMethod());
    env.put("PATH_INFO", exchange.getRequestURI().getPath());
    env.put("QUERY_STRING", exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery());
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    env.put("CONTENT_TYPE", type == null ? "" : type);
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding != null) {
      env.put("HTTP_CONTENT_ENCODING", encoding);
    }
    env.put("REMOTE_USER", "test");
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process git = pb.start();
    try (OutputStream toGit = git.getOutputStream(); InputStream body = exchange.getRequestBody()) {
      body.transferTo(toGit);
    }
    byte[] answer;
    try (InputStream fromGit = git.getInputStream()) {
      answer = fromGit.readAllBytes();
    }
    try {
      git.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int end = indexOf(answer, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    int status = 200;
    for (String line : new String(answer, 0, end, StandardCharsets.ISO_8859_1).split("\r\n")) {
      int colon = line.indexOf(':');
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Status")) {
        status = Integer.parseInt(value.substring(0, 3));
      } else {
        exchange.getResponseHeaders().add(name, value);
      }
    }
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    rest.write(answer, end + 4, answer.length - end - 4);
    exchange.sendResponseHeaders(status, rest.size() == 0 ? -1 : rest.size());
    try (OutputStream out = exchange.getResponseBody()) {
      rest.writeTo(out);
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("git http-backend answered without CGI headers");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
