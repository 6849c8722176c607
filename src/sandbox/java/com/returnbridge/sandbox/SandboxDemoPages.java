package com.returnbridge.sandbox;

import com.returnbridge.bridge.NotFound;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.console.ConsolePage;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The sandbox demo's buttons on the console's pages: a shopper starts a return in the simulated Loop, the simulated
 * warehouse receives it. Only when the sandbox runs.
 */
@Controller
@ConditionalOnSandbox
class SandboxDemoPages implements ConsolePage {

    private final ObjectProvider<SandboxDemo> demo;
    private final ReturnLinks links;

    SandboxDemoPages(ObjectProvider<SandboxDemo> demo, ReturnLinks links) {
        this.demo = demo;
        this.links = links;
    }

    /** Sandbox only: the simulated warehouse receives the parcel and sets a status. */
    @PostMapping("/returns/{id}/warehouse")
    String warehouse(@PathVariable long id, @RequestParam String status, @RequestParam(defaultValue = "all") String received,
                     @RequestParam(required = false) String condition, RedirectAttributes flash) {
        ReturnLink link = links.find(id).orElseThrow(() -> new NotFound("no return " + id));
        SandboxDemo d = demo.getIfAvailable();
        if (d == null) {
            flash.addFlashAttribute("error", "the sandbox is not running");
        } else {
            try {
                var rma = d.receive(Long.parseLong(link.loopReturnId()), status, received, condition);
                flash.addFlashAttribute("message", "sandbox warehouse: RMA " + rma.legacyId() + " now '" + rma.status()
                        + "', " + rma.totalItemsReceived() + " of " + rma.totalItemsExpected() + " received");
            } catch (RuntimeException e) {
                flash.addFlashAttribute("error", e.getMessage());
            }
        }
        return "redirect:/returns/" + id;
    }

    /** Sandbox only: a shopper starts a return in the simulated Loop. */
    @PostMapping("/connections/{id}/demo-return")
    String demoReturn(@PathVariable String id, @RequestParam(defaultValue = "TEE-BLK-M") String sku,
                      @RequestParam(defaultValue = "1") int units, RedirectAttributes flash) {
        SandboxDemo d = demo.getIfAvailable();
        if (d == null) {
            flash.addFlashAttribute("error", "the sandbox is not running");
            return "redirect:/connections/" + id;
        }
        SandboxDemo.DemoReturn r = d.createReturn(id, List.of(new SandboxDemo.DemoItem(sku, Math.max(1, units))),
                "9400" + System.currentTimeMillis() % 1_000_000_000L);
        flash.addFlashAttribute("message", "demo return " + r.loopReturnId() + " created in the sandbox Loop for order "
                + r.orderName());
        return "redirect:/returns?connection=" + id + "&q=" + r.loopReturnId();
    }
}
