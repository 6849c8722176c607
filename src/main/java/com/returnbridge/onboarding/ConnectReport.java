package com.returnbridge.onboarding;

import com.returnbridge.shiphero.ShipHeroAdminClient;
import java.util.List;

/**
 * What Connect did, step by step, what to choose, and what the merchant must still do by hand in Loop.
 * {@code shopNames}: the ShipHero stores seen in the account's orders; {@code proposedShopName}: the one Connect
 * proposes as the connection's shop name (null when it cannot tell, or one is set already); never set by Connect.
 */
public record ConnectReport(String connectionId, boolean ok, List<Step> steps,
                            List<ShipHeroAdminClient.Warehouse> warehouses,
                            List<ShipHeroAdminClient.CustomerAccount> customerAccounts,
                            List<String> checklist, List<String> shopNames, String proposedShopName) {

    public record Step(String name, boolean ok, String detail) {
    }
}
