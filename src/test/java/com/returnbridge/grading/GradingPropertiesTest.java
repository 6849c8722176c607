package com.returnbridge.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The configuration names of the contract bind as documented, beside a connection's other keys. */
class GradingPropertiesTest {

    @Test
    void theContractsNamesBind() {
        Map<String, String> properties = Map.of(
                "returnbridge.connections.acme.loop.api-key", "k",
                "returnbridge.connections.acme.grading.enabled", "true",
                "returnbridge.connections.acme.grading.conditions.Damaged", "grade_d",
                "returnbridge.connections.acme.grading.conditions[Like New]", "grade_a",
                "returnbridge.connections.acme.grading.unmapped-condition", "grade_c",
                "returnbridge.connections.acme.grading.dispositions.not_restocked", "donate",
                "returnbridge.connections.acme.grading.dispositions.missing", "missing");
        GradingProperties bound = new Binder(new MapConfigurationPropertySource(properties))
                .bind("returnbridge", GradingProperties.class).get();
        GradingSettings s = bound.getConnections().get("acme").getGrading().toSettings();
        assertThat(s.enabled()).isTrue();
        assertThat(s.category("damaged")).contains(ConditionCategory.GRADE_D);
        assertThat(s.category("like new")).contains(ConditionCategory.GRADE_A);
        assertThat(s.category("scuffed")).contains(ConditionCategory.GRADE_C);
        assertThat(s.category("good")).contains(ConditionCategory.GRADE_C); // the table given replaces the defaults
        assertThat(s.notRestocked()).isEqualTo(Disposition.DONATE);
        assertThat(s.restocked()).isEqualTo(Disposition.BACK_TO_STOCK);
    }
}
