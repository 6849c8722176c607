package com.returnbridge.intake;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** A body we could not read, kept for the console as text when it is text; never throws. */
final class UnreadableBody {

    private UnreadableBody() {
    }

    /** The body as UTF-8 text, or null when it is not valid UTF-8 or holds a NUL (PostgreSQL text cannot). */
    static String asText(byte[] body) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            return text.indexOf('\0') >= 0 ? null : text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
