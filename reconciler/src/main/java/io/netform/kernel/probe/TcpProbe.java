package io.netform.kernel.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * One TCP connection attempt, made on the calling thread (inside a namespace when that thread is
 * one's: see NetnsHandle.call), and what came back.
 */
public final class TcpProbe {

  /** What a connection attempt got: an answer of any kind means the path is open. */
  public enum Answer {
    CONNECTED("connected", true),
    REFUSED("refused: nothing listens, the path is open", true),
    TIMED_OUT("no answer (timed out)", false),
    NO_ROUTE("no route", false),
    FAILED("failed", false);

    private final String text;
    private final boolean open;

    Answer(String text, boolean open) {
      this.text = text;
      this.open = open;
    }

    public String text() {
      return text;
    }

    public boolean open() {
      return open;
    }
  }

  private TcpProbe() {}

  public static Answer connect(String address, int port, Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
      return Answer.CONNECTED;
    } catch (NoRouteToHostException e) {
      return Answer.NO_ROUTE;
    } catch (ConnectException e) {
      String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
      return m.contains("refused") ? Answer.REFUSED : m.contains("unreachable") ? Answer.NO_ROUTE : Answer.FAILED;
    } catch (SocketTimeoutException e) {
      return Answer.TIMED_OUT;
    } catch (IOException e) {
      return String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("unreachable")
          ? Answer.NO_ROUTE : Answer.FAILED;
    }
  }
}
