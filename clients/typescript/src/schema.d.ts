export interface paths {
    "/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a user account */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Exchange email and password for a fresh access token and a refresh token */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke the presented access token and the refresh token issued with it */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Trade a refresh token for a new access token (not fresh) and a new refresh token
         * @description The refresh token is rotated: presenting an older one again revokes the whole login.
         */
        post: operations["refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a user (administrators only) */
        get: operations["get_user"];
        put?: never;
        post?: never;
        /** Delete a user (administrators, fresh token); their stores are kept, ownerless */
        delete: operations["delete_user"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the caller's own account */
        get: operations["get_me"];
        put?: never;
        post?: never;
        /** Delete the caller's own account (fresh token); their stores go with it */
        delete: operations["delete_me"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Change the caller's password (fresh token); the caller's other logins are revoked */
        put: operations["change_password"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask for a password-reset mail; always 202, whether or not the address has an account
         * @description The request does the same work for every address (it queues the mail); the worker sends
         *     it only when an account has that address, so neither the answer nor its timing tells.
         */
        post: operations["request_password_reset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/password-reset/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set a new password with the token from a reset mail; every login of the user ends */
        post: operations["confirm_password_reset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/verify-email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The page a verification mail links to */
        get: operations["verify_email_page"];
        put?: never;
        /** Mark the address verified with the token from a verification mail */
        post: operations["verify_email"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/verify-email/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send the verification mail again */
        post: operations["resend_verification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reset-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The page a reset mail links to */
        get: operations["reset_password_page"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/store": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List stores */
        get: operations["list_stores"];
        put?: never;
        /** Create a store; you become its owner */
        post: operations["create_store"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/store/{store_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a store with its first items and tags */
        get: operations["get_store"];
        put?: never;
        post?: never;
        /** Delete a store with all its items and tags (owner, fresh token) */
        delete: operations["delete_store"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/item": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List and search items of all stores */
        get: operations["list_items"];
        put?: never;
        /** Create an item in a store you own */
        post: operations["create_item"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/item/{item_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an item with its tags */
        get: operations["get_item"];
        /** Change an item's name and/or price (owner) */
        put: operations["update_item"];
        post?: never;
        /** Delete an item (owner, fresh token) */
        delete: operations["delete_item"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/item/{item_id}/image": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set or replace an item's picture (owner): 201 the first time, 200 after */
        put: operations["put_item_image"];
        post?: never;
        /** Remove an item's picture (owner); removing none changes nothing */
        delete: operations["delete_item_image"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/media/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A stored picture or thumbnail (immutable: cache it for good) */
        get: operations["media_file"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/store/{store_id}/tag": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the tags of a store */
        get: operations["list_store_tags"];
        put?: never;
        /** Create a tag in a store you own */
        post: operations["create_tag"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tag/{tag_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a tag with its items */
        get: operations["get_tag"];
        put?: never;
        post?: never;
        /** Delete a tag that no item uses (owner, fresh token) */
        delete: operations["delete_tag"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/item/{item_id}/tag/{tag_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a link: the item and the tag linked to it */
        get: operations["get_link"];
        put?: never;
        /**
         * Tag an item; both must be in the same store. Linking twice changes nothing
         * @description 201 with `Location` when this request made the link, 200 when it existed already; either
         *     way the body is the link: the item (with all its tags) and the tag.
         */
        post: operations["link_tag"];
        /** Remove a tag from an item (unlinking a tag that is not linked changes nothing) */
        delete: operations["unlink_tag"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/books": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List books, filtered by `author`, `genre` or `q` */
        get: operations["get_books"];
        put?: never;
        /** Add a book (any logged-in user; books have no owner) */
        post: operations["post_book"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/books/{book_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a book */
        get: operations["get_book"];
        /**
         * Change a book's title, author and/or genre (any logged-in user)
         * @description Fields left out or sent empty keep their value; `"genre": null` clears the genre.
         */
        put: operations["put_book"];
        post?: never;
        /** Delete a book (any logged-in user) */
        delete: operations["remove_book"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/booksApi": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List books (tutorial path): `{"books": [...]}` */
        get: operations["get_books_tutorial"];
        put?: never;
        /**
         * Add a book (tutorial path; any logged-in user)
         * @description Without a body the fields come from the query string:
         *     `POST /booksApi?title=...&author=...&genre=...`.
         */
        post: operations["post_book_tutorial"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/booksApi/{book_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a book (tutorial path) */
        get: operations["get_book_tutorial"];
        /**
         * Change a book (tutorial path; any logged-in user)
         * @description Without a body the fields come from the query string: `PUT /booksApi/1?title=...`.
         *     An empty or missing field keeps its value.
         */
        put: operations["put_book_tutorial"];
        post?: never;
        /** Delete a book (tutorial path; any logged-in user) */
        delete: operations["remove_book_tutorial"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/frameworks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List frameworks, optionally only the children of one `parent` */
        get: operations["list_frameworks"];
        put?: never;
        /** Add a framework (any logged-in user; frameworks have no owner) */
        post: operations["create_framework"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/frameworks/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a framework by name (any case), with links to related frameworks */
        get: operations["get_framework"];
        /**
         * Change a framework's name, created year and/or parent (any logged-in user)
         * @description Fields left out or sent empty keep their value; `"parent": null` clears the parent.
         *     A new name moves the framework to a new URL, given in `Content-Location`.
         */
        put: operations["update_framework"];
        post?: never;
        /** Delete a framework (any logged-in user) */
        delete: operations["delete_framework"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The home document: links to every collection, the docs and the OpenAPI document */
        get: operations["home"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: operations["healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: the database answers (503 when it does not)
         * @description Read replicas are reported, not required: reads fall back to the primary without them.
         */
        get: operations["readyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This API's OpenAPI 3.1 document */
        get: operations["openapi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** Accepted */
        Accepted: {
            /** Detail */
            detail: string;
        };
        /** BookCreate */
        BookCreate: {
            /** Title */
            title: string;
            /** Author */
            author: string;
            /**
             * Genre
             * @default null
             */
            genre: string | null;
        };
        /** BookList */
        BookList: {
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"];
            };
            /** Books */
            books: components["schemas"]["BookPublic"][];
        };
        /** BookPublic */
        BookPublic: {
            /** Id */
            id: number;
            /** Title */
            title: string;
            /** Author */
            author: string;
            /** Genre */
            genre: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"] | components["schemas"]["Link"][];
            };
        };
        /**
         * BookUpdate
         * @description Only the fields given change; empty or missing ones keep their value.
         */
        BookUpdate: {
            /**
             * Title
             * @default null
             */
            title: string | null;
            /**
             * Author
             * @default null
             */
            author: string | null;
            /**
             * Genre
             * @description null clears the genre
             * @default null
             */
            genre: string | null;
        };
        /** Credentials */
        Credentials: {
            /** Email */
            email: string;
            /** Password */
            password: string;
        };
        /** FieldError */
        FieldError: {
            /** Field */
            field: string;
            /** Message */
            message: string;
        };
        /** FrameworkCreate */
        FrameworkCreate: {
            /**
             * Name
             * @description Unique in any case; no '/' or '\' (it is the id in URLs)
             */
            name: string;
            /**
             * Created
             * @description Year of first release, 1950 to this year
             */
            created: number;
            /**
             * Parent
             * @default null
             */
            parent: string | null;
        };
        /** FrameworkList */
        FrameworkList: {
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"];
            };
            /** Frameworks */
            frameworks: components["schemas"]["FrameworkPublic"][];
        };
        /** FrameworkPublic */
        FrameworkPublic: {
            /** Name */
            name: string;
            /** Created */
            created: number;
            /** Parent */
            parent: string | null;
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"] | components["schemas"]["Link"][];
            };
        };
        /**
         * FrameworkUpdate
         * @description Only the fields given change; empty or missing ones keep their value.
         */
        FrameworkUpdate: {
            /**
             * Name
             * @default null
             */
            name: string | null;
            /**
             * Created
             * @description Year of first release, 1950 to this year
             * @default null
             */
            created: number | string;
            /**
             * Parent
             * @description null clears the parent
             * @default null
             */
            parent: string | null;
        };
        /** Home */
        Home: {
            /** Name */
            name: string;
            /** Version */
            version: string;
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"] | components["schemas"]["Link"][];
            };
        };
        /** ItemBrief */
        ItemBrief: {
            /** Id */
            id: number;
            /** Name */
            name: string;
            /** Price */
            price: number;
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"] | components["schemas"]["Link"][];
            };
        };
        /** ItemCreate */
        ItemCreate: {
            /** Name */
            name: string;
            /**
             * Price
             * @description Exact amount >= 0 with at most 2 decimals, e.g. 15.99. A JSON number is held to the same pattern as written: 15, 15.9 and 15.99 are accepted; an exponent (1e2), a sign (-0) or a third decimal (1.500) is refused
             */
            price: number | string;
            /** Store Id */
            store_id: number;
        };
        /** ItemImage */
        ItemImage: {
            /**
             * Url
             * @description The picture (WebP), at its full size
             */
            url: string;
            /**
             * Thumbnail Url
             * @description A thumbnail that fits 256 x 256 pixels
             */
            thumbnail_url: string;
            /** Width */
            width: number;
            /** Height */
            height: number;
        };
        /** ItemList */
        ItemList: {
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"];
            };
            /** Items */
            items: components["schemas"]["ItemPublic"][];
        };
        /** ItemPublic */
        ItemPublic: {
            /** Id */
            id: number;
            /** Name */
            name: string;
            /** Price */
            price: number;
            /** Store Id */
            store_id: number;
            store: components["schemas"]["StoreRef"];
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Tags */
            tags: components["schemas"]["TagRef"][];
            /** @description Set with PUT /item/{id}/image */
            image: components["schemas"]["ItemImage"] | null;
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"] | components["schemas"]["Link"][];
            };
        };
        /** ItemUpdate */
        ItemUpdate: {
            /**
             * Name
             * @default null
             */
            name: string | null;
            /**
             * Price
             * @description Exact amount >= 0 with at most 2 decimals, e.g. 15.99. A JSON number is held to the same pattern as written: 15, 15.9 and 15.99 are accepted; an exponent (1e2), a sign (-0) or a third decimal (1.500) is refused
             * @default null
             */
            price: number | string;
        };
        /** Link */
        Link: {
            /** Href */
            href: string;
        };
        /** Me */
        Me: {
            /** Id */
            id: number;
            /** Email */
            email: string;
            /** Email Verified */
            email_verified: boolean;
            /** Is Admin */
            is_admin: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"] | components["schemas"]["Link"][];
            };
        };
        /** PasswordChange */
        PasswordChange: {
            /** Current Password */
            current_password: string;
            /** New Password */
            new_password: string;
        };
        /** ProblemDoc */
        ProblemDoc: {
            /** Type */
            type: string;
            /** Title */
            title: string;
            /** Status */
            status: number;
            /** Detail */
            detail: string;
            /**
             * Instance
             * @default null
             */
            instance: string | null;
            /**
             * Errors
             * @default null
             */
            errors: components["schemas"]["FieldError"][] | null;
        };
        /** Readiness */
        Readiness: {
            /** Status */
            status: string;
            /**
             * Replicas
             * @description With DATABASE_REPLICA_URLS: each replica's state (never a 503)
             * @default null
             */
            replicas: components["schemas"]["ReplicaHealth"][] | null;
        };
        /** Registration */
        Registration: {
            /**
             * Email
             * @description An email address (ASCII); surrounding whitespace is ignored
             */
            email: string;
            /** Password */
            password: string;
        };
        /** ReplicaHealth */
        ReplicaHealth: {
            /**
             * Name
             * @description host:port/database
             */
            name: string;
            /**
             * State
             * @enum {string}
             */
            state: "ok" | "lagging" | "down" | "not-a-replica" | "unknown";
            /**
             * Lag Seconds
             * @description how far behind the primary it was
             */
            lag_seconds: number | null;
            /**
             * Error
             * @default null
             */
            error: string | null;
        };
        /** ResetConfirmation */
        ResetConfirmation: {
            /**
             * Token
             * @description The token from the mail's link (`?token=…`)
             */
            token: string;
            /** Password */
            password: string;
        };
        /** ResetRequest */
        ResetRequest: {
            /**
             * Email
             * @description An email address (ASCII); surrounding whitespace is ignored
             */
            email: string;
        };
        /** Status */
        Status: {
            /** Status */
            status: string;
        };
        /** StoreCreate */
        StoreCreate: {
            /** Name */
            name: string;
        };
        /** StoreList */
        StoreList: {
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"];
            };
            /** Stores */
            stores: components["schemas"]["StorePublic"][];
        };
        /** StorePublic */
        StorePublic: {
            /** Id */
            id: number;
            /** Name */
            name: string;
            /** Owner Id */
            owner_id: number | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /**
             * Items
             * @default null
             */
            items: components["schemas"]["ItemBrief"][] | null;
            /**
             * Tags
             * @default null
             */
            tags: components["schemas"]["TagBrief"][] | null;
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"] | components["schemas"]["Link"][];
            };
        };
        /**
         * StoreRef
         * @description The store an item or a tag belongs to, as the course's clients read it.
         */
        StoreRef: {
            /** Id */
            id: number;
            /** Name */
            name: string;
        };
        /** TagBrief */
        TagBrief: {
            /** Id */
            id: number;
            /** Name */
            name: string;
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"] | components["schemas"]["Link"][];
            };
        };
        /** TagCreate */
        TagCreate: {
            /** Name */
            name: string;
        };
        /**
         * TagLink
         * @description What a link joins: the item (with all its tags) and the tag (without its items).
         */
        TagLink: {
            item: components["schemas"]["ItemPublic"];
            tag: components["schemas"]["TagPublic"];
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"] | components["schemas"]["Link"][];
            };
        };
        /** TagList */
        TagList: {
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"];
            };
            /** Tags */
            tags: components["schemas"]["TagPublic"][];
        };
        /** TagPublic */
        TagPublic: {
            /** Id */
            id: number;
            /** Name */
            name: string;
            /** Store Id */
            store_id: number;
            store: components["schemas"]["StoreRef"];
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Items
             * @default null
             */
            items: components["schemas"]["ItemBrief"][] | null;
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"] | components["schemas"]["Link"][];
            };
        };
        /** TagRef */
        TagRef: {
            /** Id */
            id: number;
            /** Name */
            name: string;
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"] | components["schemas"]["Link"][];
            };
        };
        /** TokenPair */
        TokenPair: {
            /** Access Token */
            access_token: string;
            /** Refresh Token */
            refresh_token: string;
            /**
             * Token Type
             * @default Bearer
             */
            token_type: string;
        };
        /** UserPublic */
        UserPublic: {
            /** Id */
            id: number;
            /** Email */
            email: string;
            /** Is Admin */
            is_admin: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Links */
            _links: {
                [key: string]: components["schemas"]["Link"] | components["schemas"]["Link"][];
            };
        };
        /** Verification */
        Verification: {
            /**
             * Token
             * @description The token from the mail's link (`?token=…`)
             */
            token: string;
        };
        /**
         * BookCreateFields
         * @description Each field may be sent in the body or in the query string (the body's wins); the fields a change or a creation needs must be in one of them.
         */
        BookCreateFields: {
            /** Title */
            title?: string;
            /** Author */
            author?: string;
            /**
             * Genre
             * @default null
             */
            genre: string | null;
        };
        /**
         * BookUpdateFields
         * @description Each field may be sent in the body or in the query string (the body's wins); the fields a change or a creation needs must be in one of them.
         */
        BookUpdateFields: {
            /**
             * Title
             * @default null
             */
            title: string | null;
            /**
             * Author
             * @default null
             */
            author: string | null;
            /**
             * Genre
             * @description null clears the genre
             * @default null
             */
            genre: string | null;
        };
        /**
         * RegistrationForm
         * @description The same fields, sent as an HTML form (application/x-www-form-urlencoded).
         */
        RegistrationForm: {
            /**
             * Email
             * @description An email address (ASCII); surrounding whitespace is ignored
             */
            email: string;
            /** Password */
            password: string;
        };
        /**
         * CredentialsForm
         * @description The same fields, sent as an HTML form (application/x-www-form-urlencoded).
         */
        CredentialsForm: {
            /** Email */
            email: string;
            /** Password */
            password: string;
        };
        /**
         * PasswordChangeForm
         * @description The same fields, sent as an HTML form (application/x-www-form-urlencoded).
         */
        PasswordChangeForm: {
            /** Current Password */
            current_password: string;
            /** New Password */
            new_password: string;
        };
        /**
         * ResetRequestForm
         * @description The same fields, sent as an HTML form (application/x-www-form-urlencoded).
         */
        ResetRequestForm: {
            /**
             * Email
             * @description An email address (ASCII); surrounding whitespace is ignored
             */
            email: string;
        };
        /**
         * ResetConfirmationForm
         * @description The same fields, sent as an HTML form (application/x-www-form-urlencoded).
         */
        ResetConfirmationForm: {
            /**
             * Token
             * @description The token from the mail's link (`?token=…`)
             */
            token: string;
            /** Password */
            password: string;
        };
        /**
         * VerificationForm
         * @description The same fields, sent as an HTML form (application/x-www-form-urlencoded).
         */
        VerificationForm: {
            /**
             * Token
             * @description The token from the mail's link (`?token=…`)
             */
            token: string;
        };
        /**
         * BookCreateForm
         * @description The same fields, sent as an HTML form (application/x-www-form-urlencoded).
         */
        BookCreateForm: {
            /** Title */
            title: string;
            /** Author */
            author: string;
            /**
             * Genre
             * @default null
             */
            genre: string | null;
        };
        /**
         * BookUpdateForm
         * @description The same fields, sent as an HTML form (application/x-www-form-urlencoded).
         */
        BookUpdateForm: {
            /**
             * Title
             * @default null
             */
            title: string | null;
            /**
             * Author
             * @default null
             */
            author: string | null;
            /**
             * Genre
             * @description null clears the genre
             * @default null
             */
            genre: string | null;
        };
        /**
         * BookCreateFieldsForm
         * @description The same fields, sent as an HTML form (application/x-www-form-urlencoded).
         */
        BookCreateFieldsForm: {
            /** Title */
            title?: string;
            /** Author */
            author?: string;
            /**
             * Genre
             * @default null
             */
            genre: string | null;
        };
        /**
         * BookUpdateFieldsForm
         * @description The same fields, sent as an HTML form (application/x-www-form-urlencoded).
         */
        BookUpdateFieldsForm: {
            /**
             * Title
             * @default null
             */
            title: string | null;
            /**
             * Author
             * @default null
             */
            author: string | null;
            /**
             * Genre
             * @description null clears the genre
             * @default null
             */
            genre: string | null;
        };
        /**
         * FrameworkCreateForm
         * @description The same fields, sent as an HTML form (application/x-www-form-urlencoded).
         */
        FrameworkCreateForm: {
            /**
             * Name
             * @description Unique in any case; no '/' or '\' (it is the id in URLs)
             */
            name: string;
            /**
             * Created
             * @description Year of first release, 1950 to this year
             */
            created: number;
            /**
             * Parent
             * @default null
             */
            parent: string | null;
        };
        /**
         * FrameworkUpdateForm
         * @description The same fields, sent as an HTML form (application/x-www-form-urlencoded).
         */
        FrameworkUpdateForm: {
            /**
             * Name
             * @default null
             */
            name: string | null;
            /**
             * Created
             * @description Year of first release, 1950 to this year
             * @default null
             */
            created: number | string;
            /**
             * Parent
             * @description null clears the parent
             * @default null
             */
            parent: string | null;
        };
        /**
         * ItemCreateForm
         * @description The same fields, sent as an HTML form (application/x-www-form-urlencoded).
         */
        ItemCreateForm: {
            /** Name */
            name: string;
            /**
             * Price
             * @description Exact amount >= 0 with at most 2 decimals, e.g. 15.99. A JSON number is held to the same pattern as written: 15, 15.9 and 15.99 are accepted; an exponent (1e2), a sign (-0) or a third decimal (1.500) is refused
             */
            price: number | string;
            /** Store Id */
            store_id: number;
        };
        /**
         * ItemUpdateForm
         * @description The same fields, sent as an HTML form (application/x-www-form-urlencoded).
         */
        ItemUpdateForm: {
            /**
             * Name
             * @default null
             */
            name: string | null;
            /**
             * Price
             * @description Exact amount >= 0 with at most 2 decimals, e.g. 15.99. A JSON number is held to the same pattern as written: 15, 15.9 and 15.99 are accepted; an exponent (1e2), a sign (-0) or a third decimal (1.500) is refused
             * @default null
             */
            price: number | string;
        };
        /**
         * FileBody
         * Format: binary
         * @description A JPEG, PNG or WebP image, at most MAX_IMAGE_BYTES and MAX_IMAGE_PIXELS; its type is read from its bytes, whatever the Content-Type or file name say
         */
        FileBody: string;
        /** FileForm */
        FileForm: {
            /**
             * Format: binary
             * @description A JPEG, PNG or WebP image, at most MAX_IMAGE_BYTES and MAX_IMAGE_PIXELS; its type is read from its bytes, whatever the Content-Type or file name say
             */
            file: string;
        };
        /**
         * StoreCreateForm
         * @description The same fields, sent as an HTML form (application/x-www-form-urlencoded).
         */
        StoreCreateForm: {
            /** Name */
            name: string;
        };
        /**
         * TagCreateForm
         * @description The same fields, sent as an HTML form (application/x-www-form-urlencoded).
         */
        TagCreateForm: {
            /** Name */
            name: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    register: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Registration"];
                "application/x-www-form-urlencoded": components["schemas"]["RegistrationForm"];
            };
        };
        responses: {
            /** @description Create a user account */
            201: {
                headers: {
                    /** @description URL of the created resource */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserPublic"];
                    "application/xml": components["schemas"]["UserPublic"];
                };
            };
            /** @description Malformed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Email already registered */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Unsupported body media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Credentials"];
                "application/x-www-form-urlencoded": components["schemas"]["CredentialsForm"];
            };
        };
        responses: {
            /** @description Exchange email and password for a fresh access token and a refresh token */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                    "application/xml": components["schemas"]["TokenPair"];
                };
            };
            /** @description Malformed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Wrong email or password */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Unsupported body media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoke the presented access token and the refresh token issued with it */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Trade a refresh token for a new access token (not fresh) and a new refresh token */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                    "application/xml": components["schemas"]["TokenPair"];
                };
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    get_user: {
        parameters: {
            query?: never;
            header?: {
                "If-None-Match"?: string;
            };
            path: {
                user_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Read a user (administrators only) */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserPublic"];
                    "application/xml": components["schemas"]["UserPublic"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    delete_user: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                user_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Delete a user (administrators, fresh token); their stores are kept, ownerless */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description If-Match did not match the current ETag */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    get_me: {
        parameters: {
            query?: never;
            header?: {
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Read the caller's own account */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                    "application/xml": components["schemas"]["Me"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    delete_me: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Delete the caller's own account (fresh token); their stores go with it */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description If-Match did not match the current ETag */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    change_password: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordChange"];
                "application/x-www-form-urlencoded": components["schemas"]["PasswordChangeForm"];
            };
        };
        responses: {
            /** @description Change the caller's password (fresh token); the caller's other logins are revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The current password is wrong */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description If-Match did not match the current ETag */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Unsupported body media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The new password is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    request_password_reset: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResetRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["ResetRequestForm"];
            };
        };
        responses: {
            /** @description Ask for a password-reset mail; always 202, whether or not the address has an account */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Accepted"];
                    "application/xml": components["schemas"]["Accepted"];
                };
            };
            /** @description Malformed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Unsupported body media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    confirm_password_reset: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResetConfirmation"];
                "application/x-www-form-urlencoded": components["schemas"]["ResetConfirmationForm"];
            };
        };
        responses: {
            /** @description Set a new password with the token from a reset mail; every login of the user ends */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Unsupported body media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The token is used, expired, forged or for another purpose */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    verify_email_page: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The HTML page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    verify_email: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Verification"];
                "application/x-www-form-urlencoded": components["schemas"]["VerificationForm"];
            };
        };
        responses: {
            /** @description Mark the address verified with the token from a verification mail */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Unsupported body media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The token is used, expired, forged or for another purpose */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    resend_verification: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Send the verification mail again */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Accepted"];
                    "application/xml": components["schemas"]["Accepted"];
                };
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The address is verified already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    reset_password_page: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The HTML page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    list_stores: {
        parameters: {
            query?: {
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Opaque cursor from a `next` or `prev` link */
                cursor?: string;
            };
            header?: {
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description List stores */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StoreList"];
                    "application/xml": components["schemas"]["StoreList"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    create_store: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StoreCreate"];
                "application/x-www-form-urlencoded": components["schemas"]["StoreCreateForm"];
            };
        };
        responses: {
            /** @description Create a store; you become its owner */
            201: {
                headers: {
                    /** @description URL of the created resource */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StorePublic"];
                    "application/xml": components["schemas"]["StorePublic"];
                };
            };
            /** @description Malformed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description A store with this name exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Unsupported body media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    get_store: {
        parameters: {
            query?: never;
            header?: {
                "If-None-Match"?: string;
            };
            path: {
                store_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Read a store with its first items and tags */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StorePublic"];
                    "application/xml": components["schemas"]["StorePublic"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    delete_store: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                store_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Delete a store with all its items and tags (owner, fresh token) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The store changed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    list_items: {
        parameters: {
            query?: {
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Opaque cursor from a `next` or `prev` link */
                cursor?: string;
                /** @description Name contains (any case) */
                q?: string;
                store_id?: number;
                /** @description Tag names, all must match */
                tag?: string[];
                min_price?: number | string;
                max_price?: number | string;
                sort?: "id" | "-id" | "name" | "-name" | "price" | "-price" | "created_at" | "-created_at";
            };
            header?: {
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description List and search items of all stores */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemList"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["ItemList"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    create_item: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ItemCreate"];
                "application/x-www-form-urlencoded": components["schemas"]["ItemCreateForm"];
            };
        };
        responses: {
            /** @description Create an item in a store you own */
            201: {
                headers: {
                    /** @description URL of the created resource */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemPublic"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["ItemPublic"];
                };
            };
            /** @description Malformed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not the store's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Unsupported body media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    get_item: {
        parameters: {
            query?: never;
            header?: {
                "If-None-Match"?: string;
            };
            path: {
                item_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Read an item with its tags */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemPublic"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["ItemPublic"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    update_item: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                item_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ItemUpdate"];
                "application/x-www-form-urlencoded": components["schemas"]["ItemUpdateForm"];
            };
        };
        responses: {
            /** @description Change an item's name and/or price (owner) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemPublic"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["ItemPublic"];
                };
            };
            /** @description Malformed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not the store's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The item changed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Unsupported body media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    delete_item: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                item_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Delete an item (owner, fresh token) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not the store's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The item changed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    put_item_image: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                item_id: number;
            };
            cookie?: never;
        };
        /** @description A JPEG, PNG or WebP image, at most MAX_IMAGE_BYTES and MAX_IMAGE_PIXELS; its type is read from its bytes, whatever the Content-Type or file name say */
        requestBody: {
            content: {
                "image/jpeg": components["schemas"]["FileBody"];
                "image/png": components["schemas"]["FileBody"];
                "image/webp": components["schemas"]["FileBody"];
                "multipart/form-data": components["schemas"]["FileForm"];
            };
        };
        responses: {
            /** @description Set or replace an item's picture (owner): 201 the first time, 200 after */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemPublic"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["ItemPublic"];
                };
            };
            /** @description The item's first picture */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemPublic"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["ItemPublic"];
                };
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not the store's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The item changed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description File too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not a file of an accepted type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The file cannot be read */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The media storage is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    delete_item_image: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                item_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Remove an item's picture (owner); removing none changes nothing */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not the store's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The item changed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    media_file: {
        parameters: {
            query?: never;
            header?: {
                "If-None-Match"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file */
            200: {
                headers: {
                    /** @description Strong validator: the file's name, which its bytes never change */
                    ETag?: string;
                    /** @description public, max-age=31536000, immutable */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "image/webp": string;
                };
            };
            /** @description Where the storage serves the file (a short-lived signed URL) */
            302: {
                headers: {
                    /** @description The signed URL */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such picture */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The media storage is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    list_store_tags: {
        parameters: {
            query?: {
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Opaque cursor from a `next` or `prev` link */
                cursor?: string;
            };
            header?: {
                "If-None-Match"?: string;
            };
            path: {
                store_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description List the tags of a store */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TagList"];
                    "application/xml": components["schemas"]["TagList"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    create_tag: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                store_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TagCreate"];
                "application/x-www-form-urlencoded": components["schemas"]["TagCreateForm"];
            };
        };
        responses: {
            /** @description Create a tag in a store you own */
            201: {
                headers: {
                    /** @description URL of the created resource */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TagPublic"];
                    "application/xml": components["schemas"]["TagPublic"];
                };
            };
            /** @description Malformed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not the store's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such store */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The store has a tag with this name */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Unsupported body media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    get_tag: {
        parameters: {
            query?: never;
            header?: {
                "If-None-Match"?: string;
            };
            path: {
                tag_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Read a tag with its items */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TagPublic"];
                    "application/xml": components["schemas"]["TagPublic"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such tag */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    delete_tag: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                tag_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Delete a tag that no item uses (owner, fresh token) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such tag */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Items are linked to the tag */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description If-Match did not match the current ETag */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    get_link: {
        parameters: {
            query?: never;
            header?: {
                "If-None-Match"?: string;
            };
            path: {
                item_id: number;
                tag_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Read a link: the item and the tag linked to it */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TagLink"];
                    "application/xml": components["schemas"]["TagLink"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such item or tag, or the tag is not linked to the item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    link_tag: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                item_id: number;
                tag_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tag was linked already; nothing changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TagLink"];
                    "application/xml": components["schemas"]["TagLink"];
                };
            };
            /** @description Tag an item; both must be in the same store. Linking twice changes nothing */
            201: {
                headers: {
                    /** @description URL of the created resource */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TagLink"];
                    "application/xml": components["schemas"]["TagLink"];
                };
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not the store's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such item or tag */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The tag belongs to another store */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    unlink_tag: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                item_id: number;
                tag_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Remove a tag from an item (unlinking a tag that is not linked changes nothing) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not the store's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such item or tag */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description If-Match did not match the current ETag */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    get_books: {
        parameters: {
            query?: {
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Opaque cursor from a `next` or `prev` link */
                cursor?: string;
                /** @description Author, exactly (any case) */
                author?: string;
                /** @description Genre, exactly (any case) */
                genre?: string;
                /** @description Title or author contains (any case) */
                q?: string;
            };
            header?: {
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description List books, filtered by `author`, `genre` or `q` */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookList"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["BookList"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    post_book: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BookCreate"];
                "application/x-www-form-urlencoded": components["schemas"]["BookCreateForm"];
            };
        };
        responses: {
            /** @description Add a book (any logged-in user; books have no owner) */
            201: {
                headers: {
                    /** @description URL of the created resource */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookPublic"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["BookPublic"];
                };
            };
            /** @description Malformed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Unsupported body media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    get_book: {
        parameters: {
            query?: never;
            header?: {
                "If-None-Match"?: string;
            };
            path: {
                book_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Read a book */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookPublic"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["BookPublic"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such book */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    put_book: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                book_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BookUpdate"];
                "application/x-www-form-urlencoded": components["schemas"]["BookUpdateForm"];
            };
        };
        responses: {
            /** @description Change a book's title, author and/or genre (any logged-in user) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookPublic"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["BookPublic"];
                };
            };
            /** @description Malformed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such book */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The book changed (If-Match) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Unsupported body media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    remove_book: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                book_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Delete a book (any logged-in user) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such book */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The book changed (If-Match) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    get_books_tutorial: {
        parameters: {
            query?: {
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Opaque cursor from a `next` or `prev` link */
                cursor?: string;
                /** @description Author, exactly (any case) */
                author?: string;
                /** @description Genre, exactly (any case) */
                genre?: string;
                /** @description Title or author contains (any case) */
                q?: string;
            };
            header?: {
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description List books (tutorial path): `{"books": [...]}` */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookList"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["BookList"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    post_book_tutorial: {
        parameters: {
            query?: {
                /** @description May be sent here instead of in the body; for a field in both, the body's wins */
                title?: string;
                /** @description May be sent here instead of in the body; for a field in both, the body's wins */
                author?: string;
                /** @description May be sent here instead of in the body; for a field in both, the body's wins */
                genre?: string;
            };
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["BookCreateFields"];
                "application/x-www-form-urlencoded": components["schemas"]["BookCreateFieldsForm"];
            };
        };
        responses: {
            /** @description Add a book (tutorial path; any logged-in user) */
            201: {
                headers: {
                    /** @description URL of the created resource */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookPublic"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["BookPublic"];
                };
            };
            /** @description Malformed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Unsupported body media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    get_book_tutorial: {
        parameters: {
            query?: never;
            header?: {
                "If-None-Match"?: string;
            };
            path: {
                book_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Read a book (tutorial path) */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookPublic"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["BookPublic"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such book */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    put_book_tutorial: {
        parameters: {
            query?: {
                /** @description May be sent here instead of in the body; for a field in both, the body's wins */
                title?: string;
                /** @description May be sent here instead of in the body; for a field in both, the body's wins */
                author?: string;
                /** @description May be sent here instead of in the body; for a field in both, the body's wins */
                genre?: string;
            };
            header?: {
                "If-Match"?: string;
            };
            path: {
                book_id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["BookUpdateFields"];
                "application/x-www-form-urlencoded": components["schemas"]["BookUpdateFieldsForm"];
            };
        };
        responses: {
            /** @description Change a book (tutorial path; any logged-in user) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookPublic"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["BookPublic"];
                };
            };
            /** @description Malformed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such book */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The book changed (If-Match) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Unsupported body media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    remove_book_tutorial: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                book_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Delete a book (tutorial path; any logged-in user) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such book */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The book changed (If-Match) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    list_frameworks: {
        parameters: {
            query?: {
                /** @description Page size (1-200) */
                limit?: number;
                /** @description Opaque cursor from a `next` or `prev` link */
                cursor?: string;
                /** @description Only children of this parent (any case) */
                parent?: string;
            };
            header?: {
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description List frameworks, optionally only the children of one `parent` */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FrameworkList"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["FrameworkList"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    create_framework: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FrameworkCreate"];
                "application/x-www-form-urlencoded": components["schemas"]["FrameworkCreateForm"];
            };
        };
        responses: {
            /** @description Add a framework (any logged-in user; frameworks have no owner) */
            201: {
                headers: {
                    /** @description URL of the created resource */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FrameworkPublic"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["FrameworkPublic"];
                };
            };
            /** @description Malformed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description A framework with this name exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Unsupported body media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    get_framework: {
        parameters: {
            query?: never;
            header?: {
                "If-None-Match"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Read a framework by name (any case), with links to related frameworks */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FrameworkPublic"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["FrameworkPublic"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such framework */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    update_framework: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FrameworkUpdate"];
                "application/x-www-form-urlencoded": components["schemas"]["FrameworkUpdateForm"];
            };
        };
        responses: {
            /** @description Change a framework's name, created year and/or parent (any logged-in user) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FrameworkPublic"];
                    "application/ld+json": Record<string, never>;
                    "application/xml": components["schemas"]["FrameworkPublic"];
                };
            };
            /** @description Malformed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such framework */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Another framework has the new name */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The framework changed (If-Match) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Unsupported body media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Validation failed; see `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    delete_framework: {
        parameters: {
            query?: never;
            header?: {
                "If-Match"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Delete a framework (any logged-in user) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid, expired or revoked token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Not allowed for this caller */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description No such framework */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The framework changed (If-Match) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    home: {
        parameters: {
            query?: never;
            header?: {
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The home document: links to every collection, the docs and the OpenAPI document */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Home"];
                    "application/xml": components["schemas"]["Home"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    healthz: {
        parameters: {
            query?: never;
            header?: {
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Liveness: the process answers */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Status"];
                    "application/xml": components["schemas"]["Status"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    readyz: {
        parameters: {
            query?: never;
            header?: {
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Readiness: the database answers (503 when it does not) */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                    "application/xml": components["schemas"]["Readiness"];
                };
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
    openapi: {
        parameters: {
            query?: never;
            header?: {
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description This API's OpenAPI 3.1 document */
            200: {
                headers: {
                    /** @description Strong validator of the representation */
                    ETag?: string;
                    /** @description Caching policy */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not modified (If-None-Match matched) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The client accepts no media type this resource has */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description URL longer than MAX_URL_BYTES */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Rate limit exceeded; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description Header fields larger than MAX_HEADER_BYTES */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
            /** @description The database is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDoc"];
                    "application/problem+xml": components["schemas"]["ProblemDoc"];
                };
            };
        };
    };
}
