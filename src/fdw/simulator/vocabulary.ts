// Word lists the generated data is made of. ASCII only, so emails, usernames and slugs built
// from them need no transliteration. The lists keep several names a row (prettier-ignore): one a line would
// make this file five times as long for nothing.

// prettier-ignore
export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Christopher', 'Lisa', 'Daniel', 'Nancy', 'Matthew', 'Betty', 'Anthony', 'Sandra', 'Mark', 'Margaret',
  'Donald', 'Ashley', 'Steven', 'Kimberly', 'Andrew', 'Emily', 'Paul', 'Donna', 'Joshua', 'Michelle',
  'Kenneth', 'Carol', 'Kevin', 'Amanda', 'Brian', 'Melissa', 'George', 'Deborah', 'Timothy', 'Stephanie',
  'Ronald', 'Rebecca', 'Jason', 'Sharon', 'Edward', 'Laura', 'Jeffrey', 'Cynthia', 'Ryan', 'Dorothy',
  'Jacob', 'Amy', 'Gary', 'Kathleen', 'Nicholas', 'Angela', 'Eric', 'Shirley', 'Jonathan', 'Emma',
  'Stephen', 'Brenda', 'Larry', 'Pamela', 'Justin', 'Nicole', 'Scott', 'Anna', 'Brandon', 'Samantha',
  'Benjamin', 'Katherine', 'Samuel', 'Christine', 'Gregory', 'Debra', 'Alexander', 'Rachel', 'Patrick', 'Carolyn',
  'Frank', 'Janet', 'Raymond', 'Maria', 'Jack', 'Olivia', 'Dennis', 'Heather', 'Jerry', 'Helen',
  'Tyler', 'Catherine', 'Aaron', 'Diane', 'Jose', 'Julie', 'Adam', 'Victoria', 'Nathan', 'Joyce',
  'Henry', 'Lauren', 'Zachary', 'Kelly', 'Douglas', 'Christina', 'Peter', 'Ruth', 'Kyle', 'Joan',
  'Noah', 'Virginia', 'Ethan', 'Judith', 'Jeremy', 'Evelyn', 'Christian', 'Hannah', 'Walter', 'Andrea',
  'Keith', 'Megan', 'Austin', 'Cheryl', 'Roger', 'Jacqueline', 'Terry', 'Madison', 'Sean', 'Teresa',
  'Luca', 'Sofia', 'Mateo', 'Chloe', 'Arjun', 'Priya', 'Wei', 'Mei', 'Hiroshi', 'Yuki',
  'Lukas', 'Lea', 'Omar', 'Fatima', 'Diego', 'Camila', 'Ivan', 'Olga', 'Kwame', 'Amara',
  'Noor', 'Ali', 'Santiago', 'Valentina', 'Mohammed', 'Aisha', 'Jin', 'Soo', 'Pierre', 'Clara',
  'Hugo', 'Ines', 'Mats', 'Freya', 'Ravi', 'Ananya', 'Tomasz', 'Zofia', 'Emre', 'Elif',
] as const;

// prettier-ignore
export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes',
  'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper',
  'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson',
  'Watson', 'Brooks', 'Chavez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes',
  'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', 'Jimenez',
  'Muller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Rossi', 'Russo', 'Ferrari', 'Dubois', 'Moreau',
  'Laurent', 'Bernard', 'Kowalski', 'Nowak', 'Ivanov', 'Petrov', 'Tanaka', 'Suzuki', 'Sato', 'Watanabe',
  'Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Singh', 'Kumar', 'Sharma', 'Gupta', 'Khan',
  'Okafor', 'Mensah', 'Silva', 'Santos', 'Oliveira', 'Costa', 'Yilmaz', 'Kaya', 'Andersson', 'Nielsen',
] as const;

/** Handles for people who signed up without a name. */
// prettier-ignore
export const HANDLE_WORDS = [
  'quiet', 'brave', 'lucky', 'rapid', 'sunny', 'misty', 'cosmic', 'pixel', 'echo', 'nova',
  'otter', 'falcon', 'maple', 'river', 'ember', 'comet', 'tiger', 'panda', 'koala', 'raven',
  'delta', 'orbit', 'zen', 'byte', 'lunar', 'solar', 'frost', 'cedar', 'willow', 'atlas',
  'indigo', 'crimson', 'golden', 'silver', 'shadow', 'storm', 'blaze', 'drift', 'spark', 'wave',
] as const;

/** Consumer email providers and their share of personal addresses. */
export const CONSUMER_DOMAINS: readonly (readonly [domain: string, weight: number])[] = [
  ['gmail.com', 52],
  ['yahoo.com', 7],
  ['outlook.com', 7],
  ['hotmail.com', 6],
  ['icloud.com', 8],
  ['proton.me', 3],
  ['live.com', 2],
  ['aol.com', 1.5],
  ['gmx.de', 1.5],
  ['me.com', 1.5],
  ['yahoo.co.uk', 1],
  ['hey.com', 0.8],
  ['fastmail.com', 0.7],
  ['mail.ru', 1],
  ['qq.com', 1.5],
  ['web.de', 1],
  ['orange.fr', 0.8],
];

// prettier-ignore
export const COMPANY_WORDS = [
  'Acme', 'Blue', 'Harbor', 'Summit', 'Northwind', 'Vertex', 'Lumen', 'Bright', 'Cedar', 'Pioneer',
  'Quantum', 'Silver', 'Atlas', 'Nimbus', 'Orbit', 'Pine', 'Granite', 'Horizon', 'Iron', 'Juniper',
  'Keystone', 'Lighthouse', 'Maple', 'Nova', 'Oak', 'Polar', 'Redwood', 'Sterling', 'Tidal', 'Union',
  'Velvet', 'Willow', 'Zenith', 'Aurora', 'Beacon', 'Cobalt', 'Drift', 'Ember', 'Falcon', 'Golden',
  'Helix', 'Indigo', 'Jade', 'Kinetic', 'Lattice', 'Meridian', 'Nexus', 'Onyx', 'Prism', 'Quill',
  'Ridge', 'Sable', 'Terra', 'Ultra', 'Vista', 'Wave', 'Apex', 'Birch', 'Crest', 'Delta',
] as const;

// prettier-ignore
export const COMPANY_NOUNS = [
  'Labs', 'Systems', 'Analytics', 'Health', 'Robotics', 'Software', 'Capital', 'Logistics', 'Studio', 'Works',
  'Networks', 'Dynamics', 'Bio', 'Energy', 'Foods', 'Media', 'Security', 'Cloud', 'Data', 'Finance',
  'Partners', 'Ventures', 'Games', 'Learning', 'Mobility', 'Retail', 'Design', 'Legal', 'Travel', 'Insurance',
] as const;

export const COMPANY_TLDS = ['com', 'com', 'com', 'io', 'io', 'co', 'ai', 'dev', 'app', 'tech'] as const;

export const LOCALES = ['en-US', 'en-GB', 'fr-FR', 'de-DE', 'es-ES', 'pt-BR', 'ja-JP', 'it-IT', 'nl-NL'] as const;

/** Dialling prefixes: country code plus a leading block, then 7 digits. */
export const PHONE_PREFIXES: readonly (readonly [prefix: string, weight: number])[] = [
  ['+1415', 10],
  ['+1212', 10],
  ['+1646', 6],
  ['+1312', 6],
  ['+1512', 5],
  ['+1206', 5],
  ['+1617', 5],
  ['+44770', 8],
  ['+44790', 5],
  ['+49151', 6],
  ['+33612', 5],
  ['+34612', 3],
  ['+91987', 6],
  ['+55119', 4],
  ['+61412', 3],
  ['+81901', 3],
  ['+31612', 2],
  ['+46701', 2],
];

/** OAuth providers: identifier, share of users who linked one, scopes Clerk records. */
export const OAUTH_PROVIDERS: readonly {
  readonly provider: string;
  readonly weight: number;
  readonly scopes: string;
}[] = [
  {
    provider: 'oauth_google',
    weight: 62,
    scopes: 'email https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile openid profile',
  },
  { provider: 'oauth_github', weight: 18, scopes: 'read:user user:email' },
  { provider: 'oauth_microsoft', weight: 7, scopes: 'email offline_access openid profile User.Read' },
  { provider: 'oauth_apple', weight: 6, scopes: 'email name' },
  { provider: 'oauth_linkedin', weight: 4, scopes: 'r_emailaddress r_liteprofile' },
  { provider: 'oauth_discord', weight: 3, scopes: 'email identify' },
];

export const PLANS = ['free', 'free', 'free', 'starter', 'pro', 'pro', 'business', 'enterprise'] as const;
export const INDUSTRIES = ['saas', 'fintech', 'healthcare', 'education', 'ecommerce', 'media', 'gaming', 'logistics'] as const;
export const APP_ROLES = ['member', 'member', 'member', 'editor', 'viewer', 'admin', 'beta_tester'] as const;
export const THEMES = ['light', 'dark', 'system'] as const;
export const REFERRAL_SOURCES = ['google', 'twitter', 'producthunt', 'friend', 'newsletter', 'podcast', 'linkedin'] as const;

/** SAML identity providers behind companies' enterprise SSO connections. */
export const SSO_PROVIDERS = ['saml_okta', 'saml_okta', 'saml_microsoft', 'saml_google', 'saml_custom'] as const;
export const PASSKEY_NAMES = ['iCloud Keychain', 'Google Password Manager', 'Chrome on Mac', 'Windows Hello', '1Password', 'YubiKey 5'] as const;
export const TEAM_SIZES = ['1', '2-10', '11-50', '51-200', '201-1000', '1000+'] as const;
export const USE_CASES = ['analytics', 'internal tools', 'customer portal', 'marketplace', 'education', 'side project'] as const;
export const SUBSCRIPTION_STATUSES = ['active', 'active', 'active', 'trialing', 'past_due', 'canceled'] as const;
export const FEATURE_FLAGS = ['new_dashboard', 'ai_assistant', 'beta_exports', 'dark_mode_v2', 'sso_enforcement', 'usage_alerts'] as const;
export const COUNTRIES = ['US', 'US', 'US', 'GB', 'DE', 'FR', 'IN', 'BR', 'CA', 'ES', 'NL', 'JP', 'AU'] as const;
