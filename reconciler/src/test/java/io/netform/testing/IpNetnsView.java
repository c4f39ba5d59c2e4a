package io.netform.testing;

import io.netform.kernel.ffi.LibC;
import io.netform.kernel.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets {@code ip netns exec NAME} see a sandbox's containers as it sees a host's: the sandbox's
 * namespace directory bound over /run/netns and its name files over /etc/netns. Only in the test
 * JVM's own mount namespace (reconciler/src/test/jvm/bin/java): the machine's directories are
 * never changed, and a directory created as a mount point is removed again.
 */
public final class IpNetnsView implements AutoCloseable {

  private static final Path RUN_NETNS = Path.of("/run/netns");
  private static final Path ETC_NETNS = Path.of("/etc/netns");

  private final List<Path> mounted = new ArrayList<>();
  private final List<Path> created = new ArrayList<>();

  public IpNetnsView(Sandbox sandbox) throws IOException {
    Files.createDirectories(sandbox.host().names().etcNetns());
    bind(sandbox.host().namespaces().dir(), RUN_NETNS);
    bind(sandbox.host().names().etcNetns(), ETC_NETNS);
  }

  private void bind(Path from, Path onto) throws IOException {
    if (!Files.isDirectory(onto)) {
      Files.createDirectory(onto);
      created.add(onto);
    }
    if (LibC.get().mount(from.toString(), onto.toString(), null, LibC.MS_BIND | LibC.MS_REC, null) != 0) {
      throw new IOException("bind-mounting " + from + " on " + onto + ": errno " + LibC.errno());
    }
    mounted.add(onto);
  }

  /** {@code ip netns exec NAME COMMAND...}: its output, or "exit N: output" when it fails. */
  public static String exec(String namespace, String... command) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    all.addAll(List.of(command));
    Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    int code = p.waitFor();
    return code == 0 ? out : "exit " + code + ": " + out;
  }

  @Override
  public void close() throws IOException {
    for (int i = mounted.size() - 1; i >= 0; i--) {
      LibC.get().umount2(mounted.get(i).toString(), LibC.MNT_DETACH);
    }
    for (Path p : created) {
      Files.deleteIfExists(p);
    }
  }
}
