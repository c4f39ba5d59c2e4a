package io.netform.names;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.desired.NameSettings;
import io.netform.net.IpAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The remote containers of a name record carry their host's name, and a record written before that still reads. */
class NameRecordTest {

  @Test
  void aRemoteContainersHostIsWrittenAndReadBack() {
    NameRecord.Remote web2 = new NameRecord.Remote("demo", "web2", IpAddress.parse("10.0.0.3"), List.of("api"), "docker3");
    NameRecord record = new NameRecord("web1", true, List.of(), NameSettings.NONE, List.of(web2));
    assertEquals(List.of(web2), NameRecord.parse("web1", record.body()).remotes());
  }

  @Test
  void aRemoteLineWithoutAHostReadsAsOneOnAnUnknownHost() {
    NameRecord parsed = NameRecord.parse("web1", "serve yes\nremote demo web2 10.0.0.3 -\n");
    assertEquals(List.of(new NameRecord.Remote("demo", "web2", IpAddress.parse("10.0.0.3"), List.of(), "")), parsed.remotes());
  }
}
