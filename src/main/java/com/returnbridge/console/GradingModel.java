package com.returnbridge.console;

import com.returnbridge.grading.Gradings;
import com.returnbridge.grading.RestockGuard;
import com.returnbridge.onboarding.Onboarding;
import java.util.Map;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * What the connection page shows of grading (the tables, for the mapping editor) and of the restock guard, added to
 * its model beside what {@link ConnectionPages} puts there.
 */
@ControllerAdvice(assignableTypes = ConnectionPages.class)
class GradingModel {

    private final ConnectionService connections;
    private final Gradings gradings;
    private final Onboarding onboarding;

    GradingModel(ConnectionService connections, Gradings gradings, Onboarding onboarding) {
        this.connections = connections;
        this.gradings = gradings;
        this.onboarding = onboarding;
    }

    @ModelAttribute
    void gradingAndRestock(@PathVariable(required = false) Map<String, String> path,
                           org.springframework.ui.Model model) {
        String id = path == null ? null : path.get("id");
        if (id == null || connections.view(id).isEmpty()) {
            return;
        }
        model.addAttribute("grading", GradingView.of(id, gradings.settings(id), gradings.origin(id)));
        RestockGuard.Setting restock = onboarding.restockSetting(id);
        model.addAttribute("restock", restock);
    }
}
