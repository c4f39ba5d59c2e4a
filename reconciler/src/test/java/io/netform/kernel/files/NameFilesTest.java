package io.netform.kernel.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.converge.Converger;
import io.netform.converge.Goal;
import io.netform.converge.Proposal;
import io.netform.desired.DesiredState;
import io.netform.kernel.KernelTest;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.model.ObservedHost;
import io.netform.plan.Action;
import io.netform.plan.Plan;
import io.netform.testing.Hosts;
import io.netform.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The files netform writes for names, on a sandbox: as Docker writes them, planned, observed,
 * repaired after an edit by hand, refused where a file of someone else's is, and removed on destroy
 * without touching anything else in the directory.
 */
@KernelTest
class NameFilesTest {

  private static Path sandboxRoot() throws IOException {
    return Files.createTempDirectory("netform-sandboxes");
  }

  private static String file(Sandbox s, String container, String name) throws IOException {
    return Files.readString(s.host().names().etcNetns().resolve(container).resolve(name));
  }

  @Test
  void filesSayWhatDockerWouldWrite() throws Exception {
    try (Sandbox s = Sandbox.create(sandboxRoot())) {
      Hosts.converge(s.host(), Hosts.examples(RepoFiles.examples().resolve("14-names-aliases-links.yaml"),
          RepoFiles.examples().resolve("04-mynetwork-and-default-bridge.yaml")));
      String proxyConf = file(s, "proxy", "resolv.conf");
      assertTrue(proxyConf.startsWith("# netform: container:proxy "), proxyConf);
      assertTrue(proxyConf.endsWith("\nnameserver 127.0.0.11\noptions ndots:0\n"), proxyConf);
      String apiConf = file(s, "shop-api", "resolv.conf");
      assertTrue(apiConf.endsWith("\nnameserver 127.0.0.11\nsearch shop.example\noptions ndots:1\n"),
          "the container's ndots, and no ndots:0: " + apiConf);
      String proxyHosts = file(s, "proxy", "hosts");
      assertTrue(proxyHosts.contains("\n127.0.0.1\tlocalhost\n"), proxyHosts);
      assertTrue(proxyHosts.contains("\n192.0.2.40\tmetrics.internal\n10.80.1.1\thost.internal\n10.80.1.3\tproxy\n"),
          "extra hosts (host-gateway: the gateway of its network), then its own name: " + proxyHosts);
      assertTrue(file(s, "shop-api", "hosts").endsWith("\n10.80.2.4\tapi.shop.example\n10.80.1.2\tapi.shop.example\n"),
          "its hostname at each of its addresses: " + file(s, "shop-api", "hosts"));
      // The default network: the host's name servers (the sandbox's names the world) and the link in hosts.
      assertTrue(file(s, "web2", "resolv.conf").endsWith("\nnameserver " + Sandbox.WORLD_ADDRESS + "\n"),
          file(s, "web2", "resolv.conf"));
      assertTrue(file(s, "web2", "hosts").endsWith("\n172.17.0.2\twebserver web1\n172.17.0.3\tweb2\n"),
          file(s, "web2", "hosts"));
      assertTrue(file(s, "web1", "resolv.conf").contains("nameserver 127.0.0.11"), "web1 is also on a user network");
    }
  }

  @Test
  void anEditByHandIsPutBackAndAForeignFileIsNeverTouched() throws Exception {
    try (Sandbox s = Sandbox.create(sandboxRoot())) {
      DesiredState desired = Hosts.examples(RepoFiles.examples().resolve("14-names-aliases-links.yaml"));
      Hosts.converge(s.host(), desired);
      Path hosts = s.host().names().etcNetns().resolve("proxy").resolve("hosts");
      String written = Files.readString(hosts);
      Files.writeString(hosts, written.replace("192.0.2.40", "192.0.2.99"));
      Plan repair = Hosts.plan(desired, new HostObserver(s.host()).observe());
      assertEquals(1, repair.changes().size(), repair.changes()::toString);
      assertEquals(Action.UPDATE, repair.changes().get(0).action());
      Hosts.converge(s.host(), desired);
      assertEquals(written, Files.readString(hosts), "put back");

      Path conf = s.host().names().etcNetns().resolve("proxy").resolve("resolv.conf");
      Files.writeString(conf, "nameserver 192.0.2.1\n"); // someone else's now: no mark
      Path mine = s.host().names().etcNetns().resolve("proxy").resolve("nsswitch.conf");
      Files.writeString(mine, "hosts: files dns\n");
      ObservedHost observed = new HostObserver(s.host()).observe();
      Proposal p = new Converger(s.host()).propose(Goal.of(desired));
      assertTrue(p.plan().hasConflicts(), "a file netform did not write is refused");
      assertTrue(p.plan().conflicts().get(0).message().contains(conf + ", exists and netform did not write it"),
          p.plan().conflicts().toString());
      assertTrue(observed.owned().get("file/proxy/resolv_conf").isEmpty(), "not netform's");

      Hosts.converge(s.host(), DesiredState.empty());
      assertEquals("nameserver 192.0.2.1\n", Files.readString(conf), "the foreign file stays");
      assertEquals("hosts: files dns\n", Files.readString(mine));
      assertFalse(Files.exists(hosts), "netform's own file is gone");
      assertEquals(List.of(), List.copyOf(new HostObserver(s.host()).observe().owned().objects().keySet()));
    }
  }

  @Test
  void editingAContainersNameSettingsRewritesItsFilesInPlace() throws Exception {
    String yaml = Files.readString(RepoFiles.examples().resolve("14-names-aliases-links.yaml"));
    try (Sandbox s = Sandbox.create(sandboxRoot())) {
      Hosts.converge(s.host(), Hosts.desired(yaml));
      Path proxyHosts = s.host().names().etcNetns().resolve("proxy").resolve("hosts");
      Object inode = Files.getAttribute(proxyHosts, "unix:ino");
      String edited = yaml.replace("metrics.internal:192.0.2.40", "metrics.internal:192.0.2.41")
          .replace("dns_search: [shop.example]", "dns_search: [corp.example]");
      assertTrue(!edited.equals(yaml));
      var outcome = Hosts.converge(s.host(), Hosts.desired(edited));
      assertTrue(outcome.rounds().isEmpty(), () -> "foreseen: " + outcome.rounds());
      assertTrue(file(s, "proxy", "hosts").contains("\n192.0.2.41\tmetrics.internal\n"), file(s, "proxy", "hosts"));
      assertFalse(file(s, "proxy", "hosts").contains("192.0.2.40"));
      assertTrue(file(s, "shop-api", "resolv.conf").contains("\nsearch corp.example\n"), file(s, "shop-api", "resolv.conf"));
      // Rewritten in place: ip netns exec binds the file itself over /etc, and a process started before keeps seeing it.
      assertEquals(inode, Files.getAttribute(proxyHosts, "unix:ino"));
    }
  }

  @Test
  void aFileOrLinkWhereAContainersDirectoryBelongsIsSomeoneElsesNotAnError() throws Exception {
    try (Sandbox s = Sandbox.create(sandboxRoot())) {
      DesiredState desired = Hosts.examples(RepoFiles.examples().resolve("14-names-aliases-links.yaml"));
      Files.createDirectories(s.host().names().etcNetns());
      Path stray = Files.writeString(s.host().names().etcNetns().resolve("proxy"), "not a directory\n");
      Path elsewhere = Files.createTempDirectory("netform-elsewhere");
      Path link = Files.createSymbolicLink(s.host().names().etcNetns().resolve("shop-api"), elsewhere);
      Proposal p = new Converger(s.host()).propose(Goal.of(desired));
      String conflicts = p.plan().conflicts().toString();
      assertTrue(conflicts.contains(stray + ", is a file: netform writes a container's files only in a directory of its "
          + "own") && conflicts.contains("mv " + stray + " " + stray + ".orig if netform should write there"), conflicts);
      assertTrue(conflicts.contains(link + ", is a symbolic link to " + elsewhere + ": ")
          && conflicts.contains("mv " + link + " " + link + ".orig"), conflicts);
      assertEquals(List.of(), Files.list(elsewhere).toList(), "nothing written through the link");
    }
  }

  /**
   * A container's directory that another user may write into is not one netform writes in: they
   * could plant a file with netform's mark (claimed, then rewritten or deleted as root) or put a
   * link where netform is about to write.
   */
  @Test
  void aContainersDirectoryOthersMayWriteIntoIsSomeoneElses() throws Exception {
    try (Sandbox s = Sandbox.create(sandboxRoot())) {
      DesiredState desired = Hosts.examples(RepoFiles.examples().resolve("14-names-aliases-links.yaml"));
      Path dir = Files.createDirectories(s.host().names().etcNetns().resolve("proxy"));
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
      Path planted = Files.writeString(dir.resolve("hosts"), "# netform: container:proxy\n10.0.0.66\tproxy\n");
      Proposal p = new Converger(s.host()).propose(Goal.of(desired));
      List<String> conflicts = p.plan().conflicts().stream().map(c -> c.message()).toList();
      assertTrue(conflicts.contains("the hosts of container \"proxy\", " + dir + ", is a directory writable by group and "
          + "others (mode 0777): netform writes and deletes only in a directory no other user may change (they could put "
          + "a file or a link where it is about to write or delete)"), conflicts.toString());
      assertTrue(conflicts.stream().anyMatch(c -> c.startsWith("the resolv.conf of container \"proxy\", " + dir + ", ")),
          conflicts.toString());
      assertFalse(p.plan().steps().stream().anyMatch(st -> st.kind() != io.netform.plan.Step.Kind.CREATE
          && List.of("file/proxy/hosts", "file/proxy/resolv_conf").contains(st.object().key())),
          "the planted file is not taken for netform's: " + p.plan().steps());
      assertEquals("# netform: container:proxy\n10.0.0.66\tproxy\n", Files.readString(planted));
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.delete(planted);
      assertEquals(List.of(), new Converger(s.host()).propose(Goal.of(desired)).plan().conflicts(), "root's own again");
    }
  }

  /** A name record netform did not write is a file someone else's, not a directory netform may not write in. */
  @Test
  void aForeignNameRecordIsSaidToBeAFileNetformDidNotWrite() throws Exception {
    try (Sandbox s = Sandbox.create(sandboxRoot())) {
      DesiredState desired = Hosts.examples(RepoFiles.examples().resolve("14-names-aliases-links.yaml"));
      Path record = s.host().state().nameRecords().resolve("proxy");
      Files.createDirectories(record.getParent());
      Files.writeString(record, "serve yes\n");
      List<String> conflicts = new Converger(s.host()).propose(Goal.of(desired)).plan().conflicts().stream()
          .map(c -> c.message()).toList();
      assertTrue(conflicts.contains("the name record of container \"proxy\", " + record
          + ", exists and netform did not write it (its first line is not netform's mark)"), conflicts.toString());
    }
  }
}
