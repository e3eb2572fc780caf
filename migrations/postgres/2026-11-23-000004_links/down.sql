DROP TABLE activity_logs;
DROP TABLE share_links;
