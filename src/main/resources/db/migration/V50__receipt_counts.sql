-- What the warehouse received, as the latest read of the RMA said, for the exceptions list (issue 13): units
-- expected and received, and the SKUs on the RMA that are not on the Loop return (comma-separated, NULL: none).
ALTER TABLE return_link ADD COLUMN units_expected INT;
ALTER TABLE return_link ADD COLUMN units_received INT;
ALTER TABLE return_link ADD COLUMN unexpected_skus VARCHAR(1000);
