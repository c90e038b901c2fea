// Made by build.py (generator/render/admin.py) from the field catalogue.
import { nextupFormat } from "./nextup-format.js";
import { registerWallClockWidgets } from "./nextup-widgets.js";

registerWallClockWidgets(CMS);
CMS.registerCustomFormat("nextup-event", "md", nextupFormat({"order": {"": ["title", "category", "timezone", "start", "duration", "date", "end_date", "days", "url", "project", "audience", "rsvp_url", "image", "image_alt", "summary", "draft", "skip_holidays", "review_by", "status", "reason", "exdates", "rdates", "rrule", "repeat", "location", "overrides"], "repeat": ["every", "interval", "on", "at", "until", "count"], "location": ["name", "address", "locality", "country", "geo", "notes"], "overrides[]": ["original", "start", "duration", "title"]}, "kinds": {"start": "local", "duration": "integer", "date": "local", "end_date": "local", "days": "integer", "draft": "boolean", "review_by": "local", "exdates[]": "local", "rdates[]": "local", "repeat.interval": "integer", "repeat.on[]": "integer-or-string", "repeat.until": "local", "repeat.count": "integer", "location.geo[]": "float", "overrides[].original": "local", "overrides[].start": "local", "overrides[].duration": "integer"}}));
CMS.registerCustomFormat("nextup-session", "md", nextupFormat({"order": {"": ["title", "host", "recording", "url", "reason", "status", "links"], "links[]": ["title", "url"]}, "kinds": {}}));
CMS.init();
