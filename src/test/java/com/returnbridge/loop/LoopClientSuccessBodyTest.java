package com.returnbridge.loop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Loop's reference types an action's success as the string "true"; a public client tests the JSON boolean. */
class LoopClientSuccessBodyTest {

    @Test
    void bothTheStringAndTheBooleanAreSuccessAndNothingElseIs() {
        assertThat(LoopHttp.isTrue("\"true\"")).isTrue();
        assertThat(LoopHttp.isTrue("true")).isTrue();
        assertThat(LoopHttp.isTrue(" true\n")).isTrue();
        assertThat(LoopHttp.isTrue("\"false\"")).isFalse();
        assertThat(LoopHttp.isTrue("false")).isFalse();
        assertThat(LoopHttp.isTrue("{\"errors\":{\"message\":\"true\"}}")).isFalse();
        assertThat(LoopHttp.isTrue("")).isFalse();
        assertThat(LoopHttp.isTrue(null)).isFalse();
    }
}
