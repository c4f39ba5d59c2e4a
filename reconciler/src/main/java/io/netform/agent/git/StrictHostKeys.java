package io.netform.agent.git;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * Accepts only server keys listed in known_hosts, whatever {@code StrictHostKeyChecking} the ssh
 * config says: nobody is there to answer "ask", and an agent that learnt a new key by itself
 * would trust whoever answered first. A refusal is remembered with what to do about it, because
 * the ssh layer reports only that the key "did not validate".
 */
final class StrictHostKeys implements ServerKeyDatabase {

  private static final Pattern HOST_PORT = Pattern.compile("\\[(.*)]:(\\d+)");

  private final ServerKeyDatabase knownHosts;
  private final Path sshDir;
  private final AtomicReference<String> refusal;

  StrictHostKeys(ServerKeyDatabase knownHosts, Path sshDir, AtomicReference<String> refusal) {
    this.knownHosts = knownHosts;
    this.sshDir = sshDir;
    this.refusal = refusal;
  }

  @Override
  public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
    return knownHosts.lookup(connectAddress, remoteAddress, config);
  }

  @Override
  public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
      Configuration config, CredentialsProvider provider) {
    // no provider: nothing may be asked, nothing added to known_hosts
    if (knownHosts.accept(connectAddress, remoteAddress, serverKey, requireMatch(config), null)) {
      return true;
    }
    boolean changed = !knownHosts.lookup(connectAddress, remoteAddress, config).isEmpty();
    refusal.set(explain(connectAddress, serverKey, changed, knownHostsFile(config)));
    return false;
  }

  private String explain(String connectAddress, PublicKey serverKey, boolean changed, String file) {
    Matcher m = HOST_PORT.matcher(connectAddress);
    String host = m.matches() ? m.group(1) : connectAddress;
    String port = m.matches() ? m.group(2) : "22";
    String keyscan = "ssh-keyscan " + (port.equals("22") ? "" : "-p " + port + " ") + host + " >> " + file;
    String key = KeyUtils.getKeyType(serverKey) + " " + KeyUtils.getFingerPrint(serverKey);
    if (changed) {
      return "host key of " + connectAddress + " (" + key + ") does not match the one in " + file
          + ": refused, it may not be the server you expect. If the key was changed on purpose, replace its line: "
          + "ssh-keygen -R '" + connectAddress + "' -f " + file + " && " + keyscan;
    }
    return "host key of " + connectAddress + " (" + key + ") is not in " + file
        + ": unknown hosts are refused. Add the host (and check the key's fingerprint): " + keyscan;
  }

  /** Where a new line belongs: the ssh config's UserKnownHostsFile if it names one, else DIR/known_hosts. */
  private String knownHostsFile(Configuration config) {
    return Optional.ofNullable(config.getUserKnownHostsFiles()).flatMap(files -> files.stream().findFirst())
        .orElse(sshDir.resolve("known_hosts").toString());
  }

  private static Configuration requireMatch(Configuration config) {
    return new Configuration() {
      @Override
      public List<String> getUserKnownHostsFiles() {
        return config.getUserKnownHostsFiles();
      }

      @Override
      public List<String> getGlobalKnownHostsFiles() {
        return config.getGlobalKnownHostsFiles();
      }

      @Override
      public StrictHostKeyChecking getStrictHostKeyChecking() {
        return StrictHostKeyChecking.REQUIRE_MATCH;
      }

      @Override
      public boolean getHashKnownHosts() {
        return config.getHashKnownHosts();
      }

      @Override
      public String getUsername() {
        return config.getUsername();
      }
    };
  }
}
