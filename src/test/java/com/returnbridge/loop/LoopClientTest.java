package com.returnbridge.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.returnbridge.bridge.LoopApi.LoopAnswer;
import com.returnbridge.bridge.LoopApi.ProcessDetails;
import com.returnbridge.vendor.VendorCallLog;
import com.returnbridge.vendor.VendorException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** LoopClient on its own, over HTTP: every kind of answer Loop gives a Return Action, and no answer. */
class LoopClientTest {

    private static final ProcessDetails DETAILS = new ProcessDetails("R1", 9L, "WH1", 2, 2);

    private final LoopTestKit kit = new LoopTestKit();
    private final LoopClient client = new LoopClient(kit.http);

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void theStringTrueAndTheBooleanTrueAreAcceptance() {
        kit.loop.answer(200, "\"true\"").answer(200, "true");

        LoopAnswer processed = client.process(kit.connection, "101", DETAILS);
        LoopAnswer flagged = client.flag(kit.connection, "101");

        assertThat(processed.outcome()).isEqualTo(LoopAnswer.Outcome.ACCEPTED);
        assertThat(flagged.outcome()).isEqualTo(LoopAnswer.Outcome.ACCEPTED);
        var process = kit.loop.requests().get(0);
        assertThat(process.method()).isEqualTo("POST");
        assertThat(process.path()).isEqualTo("/warehouse/return/101/process");
        assertThat(process.header("X-Authorization")).isEqualTo(LoopTestKit.API_KEY);
        assertThat(process.body())
                .isEqualTo("{\"rma_id\":\"R1\",\"rma_number\":\"9\",\"warehouse\":\"WH1\",\"received\":\"2 of 2\"}");
        assertThat(kit.loop.last().path()).isEqualTo("/warehouse/return/101/flag");
        assertThat(kit.loop.last().body()).isEmpty();
    }

    @Test
    void aRefusalInsideA200IsARefusalAndAClosedOneMeansAlreadyDone() {
        kit.loop.answer(200, "{\"errors\":{\"message\":\"Return is already closed\",\"code\":\"RETURN_CLOSED\"}}")
                .answer(200, "{\"message\":\"Something is missing\"}");

        LoopAnswer closed = client.process(kit.connection, "102", DETAILS);
        LoopAnswer refused = client.note(kit.connection, "102", "hello");

        assertThat(closed.outcome()).isEqualTo(LoopAnswer.Outcome.ALREADY_CLOSED);
        assertThat(closed.message()).isEqualTo("Return is already closed (RETURN_CLOSED)");
        assertThat(refused.outcome()).isEqualTo(LoopAnswer.Outcome.REFUSED);
        assertThat(refused.message()).isEqualTo("HTTP 200: Something is missing");
        assertThat(kit.loop.last().body()).isEqualTo("{\"content\":\"hello\"}");
    }

    @Test
    void aClientErrorIsARefusalWithLoopsMessageAndAnUnknownReturnIsPermanent() {
        kit.loop.answer(422, "{\"message\":\"The given data was invalid.\"}").answer(404, "{\"message\":\"nope\"}");

        LoopAnswer refused = client.note(kit.connection, "103", "x");
        VendorException unknown = catchThrowableOfType(VendorException.class, () -> client.flag(kit.connection, "104"));

        assertThat(refused.outcome()).isEqualTo(LoopAnswer.Outcome.REFUSED);
        assertThat(refused.message()).isEqualTo("HTTP 422: The given data was invalid.");
        assertThat(unknown.kind()).isEqualTo(VendorException.Kind.PERMANENT);
        assertThat(unknown.getMessage()).contains("104");
    }

    @Test
    void aRejectedKeyIsPermanent() {
        kit.loop.answer(401, "{\"message\":\"Unauthenticated.\"}").answer(403, "{}");

        VendorException unauthorized = catchThrowableOfType(VendorException.class,
                () -> client.flag(kit.connection, "105"));
        VendorException forbidden = catchThrowableOfType(VendorException.class,
                () -> client.flag(kit.connection, "105"));

        assertThat(unauthorized.kind()).isEqualTo(VendorException.Kind.PERMANENT);
        assertThat(unauthorized.getMessage()).contains("HTTP 401").contains("'returns' scope");
        assertThat(forbidden.kind()).isEqualTo(VendorException.Kind.PERMANENT);
    }

    @Test
    void tooManyRequestsIsThrottlingForLoopsRetryAfterOrFiveSeconds() {
        kit.loop.answer(429, "{\"message\":\"Too Many Attempts.\"}", Map.of("Retry-After", "12"))
                .answer(429, "{\"message\":\"Too Many Attempts.\"}");

        VendorException told = catchThrowableOfType(VendorException.class, () -> client.flag(kit.connection, "106"));
        VendorException untold = catchThrowableOfType(VendorException.class, () -> client.flag(kit.connection, "106"));

        assertThat(told.kind()).isEqualTo(VendorException.Kind.THROTTLED);
        assertThat(told.retryAfter()).isEqualTo(Duration.ofSeconds(12));
        assertThat(untold.kind()).isEqualTo(VendorException.Kind.THROTTLED);
        assertThat(untold.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aServerErrorToAnActionIsAnAnsweredUncertainWrite() {
        kit.loop.answer(503, "<html>maintenance</html>");

        VendorException e = catchThrowableOfType(VendorException.class,
                () -> client.process(kit.connection, "107", DETAILS));

        assertThat(e.kind()).isEqualTo(VendorException.Kind.TRANSIENT);
        assertThat(e.isUncertain()).isTrue();
        assertThat(e.isAnswered()).isTrue();
        assertThat(e.getMessage()).contains("HTTP 503");
    }

    @Test
    void noAnswerToAnActionIsAnUnansweredUncertainWrite() {
        kit.loop.hang();

        VendorException e = catchThrowableOfType(VendorException.class,
                () -> client.process(kit.connection, "108", DETAILS));

        assertThat(e.kind()).isEqualTo(VendorException.Kind.TRANSIENT);
        assertThat(e.isUncertain()).isTrue();
        assertThat(e.isAnswered()).isFalse();
        VendorCallLog.Entry logged = kit.vendor.calls("c-loop").get(0);
        assertThat(logged.status()).isNull();
        assertThat(logged.outcome()).startsWith("no answer").contains("may still have acted");
    }

    @Test
    void everyCallIsInTheCallLogWithoutTheKey() {
        kit.loop.answer(200, "{\"errors\":{\"message\":\"closed\"}}");

        client.process(kit.connection, "109", new ProcessDetails("R9", null, "WH1", 1, 1));

        VendorCallLog.Entry logged = kit.vendor.calls("c-loop").get(0);
        assertThat(logged.vendor()).isEqualTo("loop");
        assertThat(logged.operation()).isEqualTo("process");
        assertThat(logged.status()).isEqualTo(200);
        assertThat(logged.failed()).isTrue();
        assertThat(logged.requestBody()).contains("R9").doesNotContain(LoopTestKit.API_KEY);
    }
}
