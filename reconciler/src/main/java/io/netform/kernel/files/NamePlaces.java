package io.netform.kernel.files;

import io.netform.kernel.netns.NamedNamespaces;
import java.nio.file.Path;

/**
 * Where a host's name files are: {@code etcNetns}, the directory {@code ip netns exec NAME} mounts
 * over /etc ({@code /etc/netns}: NAME/resolv.conf and NAME/hosts); the host's resolv.conf and
 * systemd-resolved's, read for the host's name servers.
 */
public record NamePlaces(Path etcNetns, Path hostResolvConf, Path resolvedConf) {

  public static final Path DEFAULT_ETC_NETNS = Path.of("/etc/netns");
  public static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");
  public static final Path RESOLVED_CONF = Path.of("/run/systemd/resolve/resolv.conf");

  /**
   * The places that go with a namespace directory: iproute2's pair, /etc/netns, for /run/netns;
   * for any other directory (tests, a second netform) a sibling {@code DIR-etc}, since ip netns exec
   * would not find its namespaces anyway, and files there must not land in the host's /etc.
   */
  public static NamePlaces pairedWith(NamedNamespaces namespaces) {
    if (namespaces == null || namespaces.dir().equals(NamedNamespaces.DEFAULT_DIR)) {
      return new NamePlaces(DEFAULT_ETC_NETNS, HOST_RESOLV_CONF, RESOLVED_CONF);
    }
    Path dir = namespaces.dir().toAbsolutePath();
    return new NamePlaces(dir.resolveSibling(dir.getFileName() + "-etc"), HOST_RESOLV_CONF, RESOLVED_CONF);
  }

  public NamePlaces withEtcNetns(Path dir) {
    return new NamePlaces(dir, hostResolvConf, resolvedConf);
  }
}
