package com.returnbridge;

import com.returnbridge.sandbox.loop.SandboxLoop;

/**
 * The core Loop flows (tagged {@code every-success-body}) again, with the simulated Loop answering its actions with
 * the bare JSON {@code true} instead of the string {@code "true"}: the docs and the public clients disagree. Run by
 * surefire's own execution {@code every-success-body}, which selects the tagged tests (pom.xml).
 */
class EndToEndBooleanSuccessH2Test extends EndToEndH2Test {

    @Override
    SandboxLoop.SuccessBody successBody() {
        return SandboxLoop.SuccessBody.BOOLEAN;
    }
}
