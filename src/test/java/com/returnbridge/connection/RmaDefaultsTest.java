package com.returnbridge.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RmaDefaultsTest {

    private static final Connection.RmaDefaults NONE =
            new Connection.RmaDefaults(null, null, null, null, null, null, null, null);

    @Test
    void blankFieldsKeepTheCurrentValueAndGivenOnesAreNormalised() {
        Connection.RmaDefaults edited = Connection.RmaDefaults.standard()
                .with(new Connection.RmaDefaults("self return", " 4.50 ", "", "2-day", null, "10", "8", "2.0"));
        assertThat(edited).isEqualTo(
                new Connection.RmaDefaults("SELF_RETURN", "4.50", "other", "2-day", "16", "10", "8", "2.0"));
        assertThat(Connection.RmaDefaults.standard().with(NONE)).isEqualTo(Connection.RmaDefaults.standard());
    }

    @Test
    void valuesShipHeroWouldRefuseAreRefusedWithTheField() {
        Connection.RmaDefaults standard = Connection.RmaDefaults.standard();
        assertThatThrownBy(() -> standard.with(new Connection.RmaDefaults("FREEE", null, null, null, null, null, null,
                null))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label type")
                .hasMessageContaining("FREEE").hasMessageContaining("SELF_RETURN");
        assertThatThrownBy(() -> standard.with(new Connection.RmaDefaults(null, "-1", null, null, null, null, null,
                null))).hasMessageContaining("RMA label cost");
        assertThatThrownBy(() -> standard.with(new Connection.RmaDefaults(null, null, null, null, "1e3", null, null,
                null))).hasMessageContaining("RMA weight");
        assertThatThrownBy(() -> standard.with(new Connection.RmaDefaults(null, null, "x".repeat(101), null, null,
                null, null, null))).hasMessageContaining("RMA shipping carrier");
    }

    @Test
    void aConfiguredConnectionWithABadLabelTypeStopsTheStartWithItsPropertyName() {
        ConnectionProperties.ConnectionConfig config = new ConnectionProperties.ConnectionConfig();
        config.setRmaDefaults(new Connection.RmaDefaults("PREPAID", null, null, null, null, null, null, null));
        assertThatThrownBy(() -> config.toConnection("acme")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returnbridge.connections.acme.rma-defaults").hasMessageContaining("PREPAID");

        config.setRmaDefaults(new Connection.RmaDefaults("paid", "3.5", null, null, null, null, null, null));
        assertThat(config.toConnection("acme").rmaDefaults()).isEqualTo(
                new Connection.RmaDefaults("PAID", "3.5", "other", "ground", "16", null, null, null));
    }
}
