package io.netform.kernel.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which iptables a save tool is, told from the program its links lead to where iptables 1.8 installed it. */
class IptablesVariantTest {

  @TempDir
  Path dir;

  private Path saveToolLeadingTo(String program) throws Exception {
    Path target = Files.writeString(dir.resolve(program), "");
    Path alternative = Files.createSymbolicLink(dir.resolve("alternatives-" + program), target);
    return Files.createSymbolicLink(dir.resolve("iptables-save-" + program), alternative);
  }

  @Test
  void theProgramBehindTheLinksTellsTheVariant() throws Exception {
    assertEquals(Optional.of(IptablesVariant.NFT), IptablesVariant.ofProgram(saveToolLeadingTo("xtables-nft-multi")));
    assertEquals(Optional.of(IptablesVariant.LEGACY), IptablesVariant.ofProgram(saveToolLeadingTo("xtables-legacy-multi")));
    assertEquals(Optional.empty(), IptablesVariant.ofProgram(saveToolLeadingTo("iptables-save-stand-in")),
        "another program is asked for its version");
    assertEquals(Optional.empty(), IptablesVariant.ofProgram(dir.resolve("missing")));
  }

  @Test
  void theVersionLineTellsItOtherwise() {
    assertEquals(IptablesVariant.NFT, IptablesVariant.ofHeader("iptables-save v1.8.9 (nf_tables)\n"));
    assertEquals(IptablesVariant.LEGACY, IptablesVariant.ofHeader("iptables-save v1.8.9 (legacy)\n"));
    assertEquals(IptablesVariant.LEGACY, IptablesVariant.ofHeader("iptables-save v1.6.1\n"));
  }
}
