package io.netform.kernel.firewall;

import io.netform.kernel.netns.NetnsHandle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a program inside a namespace with a time limit that holds whatever the program does: its
 * input is written and its output read on threads of their own, so a program that hangs, or never
 * reads its input, or never closes its output, is stopped (with everything it started) when the
 * time is up instead of holding netform, and its lock, for ever.
 */
final class TimedProcess {

  /** How long to wait for the streams once the program has ended or been killed (a grandchild may hold them). */
  private static final long STREAMS_GRACE_MS = 2_000;

  /** What a program printed and how it ended. */
  record Result(int exitCode, String out, String err) {}

  private TimedProcess() {}

  /**
   * Runs {@code tool args} in {@code namespace}, feeding it {@code input} (none: null), within
   * {@code limit}; a program still running then is killed, and so is everything it started.
   */
  static Result run(NetnsHandle namespace, Path tool, List<String> args, String input, Duration limit) {
    String name = tool.getFileName().toString();
    List<String> command = new ArrayList<>(List.of(tool.toString()));
    command.addAll(args);
    Process p;
    try {
      p = namespace.start(new ProcessBuilder(command));
    } catch (RuntimeException e) {
      throw new FirewallException("cannot run " + tool + ": " + rootMessage(e));
    }
    FutureTask<byte[]> out = pump(name + "-out", p.getInputStream());
    FutureTask<byte[]> err = pump(name + "-err", p.getErrorStream());
    feed(name + "-in", p.getOutputStream(), input);
    try {
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(p);
        throw new FirewallException(name + " did not finish within " + limit.toSeconds() + " s and was stopped (another "
            + "program may hold the xtables lock); see what took effect with 'netform plan', then run netform again");
      }
      return new Result(p.exitValue(), text(out, name), text(err, name));
    } catch (InterruptedException e) {
      kill(p);
      Thread.currentThread().interrupt();
      throw new FirewallException("interrupted while running " + name);
    }
  }

  /** SIGKILL to the program and to what it started (collected first: once it dies they are no longer its descendants). */
  private static void kill(Process p) {
    List<ProcessHandle> started = p.descendants().toList();
    p.destroyForcibly();
    started.forEach(ProcessHandle::destroyForcibly);
  }

  private static FutureTask<byte[]> pump(String name, InputStream from) {
    FutureTask<byte[]> task = new FutureTask<>(() -> {
      try (InputStream in = from) {
        return in.readAllBytes();
      }
    });
    daemon(name, task);
    return task;
  }

  /** Writes the input and closes it; a program that exits without reading it all is judged by its exit code. */
  private static void feed(String name, OutputStream to, String input) {
    daemon(name, () -> {
      try (OutputStream o = to) {
        if (input != null) {
          o.write(input.getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        // broken pipe: the program ended or was killed; its exit code or the time limit tells what happened
      }
    });
  }

  private static void daemon(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
  }

  private static String text(FutureTask<byte[]> stream, String name) throws InterruptedException {
    try {
      return new String(stream.get(STREAMS_GRACE_MS, TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
    } catch (ExecutionException e) {
      throw new FirewallException("reading the output of " + name + ": " + rootMessage(e));
    } catch (TimeoutException e) {
      throw new FirewallException(name + " ended but something it started still holds its output open");
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
