package io.netform.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a large, valid desired state: {@code networks} bridge networks with a /24 each and
 * {@code containers} containers spread over them (every tenth on two networks, every fourth with a
 * static address, every fifth publishing a port). Deterministic, so runs are comparable.
 */
public final class LargeStateGenerator {

  private LargeStateGenerator() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: LargeStateGenerator NETWORKS CONTAINERS OUT.yaml");
      System.exit(1);
    }
    write(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Path.of(args[2]));
  }

  public static void write(int networks, int containers, Path out) throws IOException {
    if (networks > 65_536) {
      throw new IllegalArgumentException("at most 65,536 networks fit in 10.0.0.0/8 as /24s");
    }
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      w.write("version: 1\nnetworks:\n");
      for (int n = 0; n < networks; n++) {
        w.write("  net" + n + ":\n");
        w.write("    bridge_name: nfb" + n + "\n");
        w.write("    ipam:\n      config:\n        - subnet: " + subnet(n) + ".0/24\n");
        if (n % 7 == 0) {
          w.write("    driver_opts: {com.docker.network.bridge.enable_icc: \"false\"}\n");
        }
      }
      w.write("containers:\n");
      int perNetwork = Math.max(1, containers / networks);
      for (int c = 0; c < containers; c++) {
        int n = Math.min(networks - 1, c / perNetwork);
        int slot = c % perNetwork;
        w.write("  c" + c + ":\n    networks:\n");
        if (c % 4 == 0) {
          w.write("      net" + n + ": {ipv4_address: " + subnet(n) + "." + (200 + slot % 50) + "}\n");
        } else {
          w.write("      net" + n + ": {}\n");
        }
        if (c % 10 == 0 && networks > 1) {
          w.write("      net" + ((n + 1) % networks) + ": {}\n");
        }
        if (c % 5 == 0) {
          w.write("    ports: [\"" + (10_000 + c / 5) + ":80\"]\n");
        }
      }
    }
  }

  private static String subnet(int n) {
    return "10." + (n / 256) + "." + (n % 256);
  }
}
