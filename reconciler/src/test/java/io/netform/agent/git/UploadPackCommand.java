package io.netform.agent.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * The real {@code git-upload-pack} behind an ssh exec request, as a git host runs it: JGit sends
 * {@code git-upload-pack '/path'}, the repository's path in single quotes.
 */
final class UploadPackCommand implements Command {

  private static final Pattern REQUEST = Pattern.compile("git-upload-pack '([^']+)'");

  private final String request;
  private InputStream in;
  private OutputStream out;
  private OutputStream err;
  private ExitCallback exit;
  private Process process;

  UploadPackCommand(String request) {
    this.request = request;
  }

  @Override
  public void start(ChannelSession channel, Environment env) throws IOException {
    Matcher m = REQUEST.matcher(request);
    if (!m.matches()) {
      err.write(("only git-upload-pack is served, not: " + request + "\n").getBytes());
      err.flush();
      exit.onExit(127);
      return;
    }
    process = new ProcessBuilder("git-upload-pack", m.group(1)).start();
    Thread toGit = pump(in, process.getOutputStream(), true, "ssh-to-upload-pack");
    Thread fromGit = pump(process.getInputStream(), out, false, "upload-pack-to-ssh");
    Thread errors = pump(process.getErrorStream(), err, false, "upload-pack-stderr");
    Thread waiter = new Thread(() -> {
      try {
        int code = process.waitFor();
        fromGit.join();
        errors.join();
        exit.onExit(code);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        toGit.interrupt();
      }
    }, "upload-pack-exit");
    waiter.setDaemon(true);
    waiter.start();
  }

  /** Copies until end of input; {@code closeTarget} passes the client's end of input on to git. */
  private static Thread pump(InputStream from, OutputStream to, boolean closeTarget, String name) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = from.read(buffer)) >= 0; ) {
          to.write(buffer, 0, n);
          to.flush();
        }
        if (closeTarget) {
          to.close();
        }
      } catch (IOException e) {
        // the other side went away: the session is over
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void destroy(ChannelSession channel) {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Override
  public void setExitCallback(ExitCallback callback) {
    this.exit = callback;
  }

  @Override
  public void setInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public void setOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void setErrorStream(OutputStream err) {
    this.err = err;
  }
}
