package com.returnbridge.loop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Loop's reference types an action's success as the string "true"; a public client tests the JSON boolean. */
class LoopClientSuccessBodyTest {

    @Test
    void bothTheStringAndTheBooleanAreSuccessAndNothingElseIs() {
        assertThat(LoopClient.isTrue("\"true\"")).isTrue();
        assertThat(LoopClient.isTrue("true")).isTrue();
        assertThat(LoopClient.isTrue(" true\n")).isTrue();
        assertThat(LoopClient.isTrue("\"false\"")).isFalse();
        assertThat(LoopClient.isTrue("false")).isFalse();
        assertThat(LoopClient.isTrue("{\"errors\":{\"message\":\"true\"}}")).isFalse();
        assertThat(LoopClient.isTrue("")).isFalse();
        assertThat(LoopClient.isTrue(null)).isFalse();
    }
}
