//! Catalogue storage: departments, themes, halls and items. Each record is kept whole as
//! JSON (`body`) beside the columns that filters and joins need.

use super::{now_ms, Store};
use onewindow_api::catalogue::{
    Audience, CatalogueDocument, Department, Hall, ServiceItem, ServiceSummary, Theme, ThemeKind,
};
use onewindow_api::check::KnownRefs;
use onewindow_api::query::{Page, ServiceQuery};
use onewindow_api::Text;
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub departments: usize,
    pub themes: usize,
    pub halls: usize,
    pub items: usize,
}

/// The row data the search index is built from.
#[derive(Debug, Clone)]
pub struct SearchRow {
    pub summary: ServiceSummary,
    pub keywords: Vec<String>,
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, sqlx::Error> {
    serde_json::to_string(v).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(s).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

fn theme_kind(k: ThemeKind) -> &'static str {
    match k {
        ThemeKind::Individual => "individual",
        ThemeKind::Business => "business",
        ThemeKind::LifeEvent => "life_event",
    }
}

impl Store {
    /// Inserts or replaces every record of `doc` in one transaction: either all of it is
    /// stored or none. The caller has checked the document (`check_document`).
    pub async fn import_document(
        &self,
        doc: &CatalogueDocument,
    ) -> Result<ImportCounts, sqlx::Error> {
        let mut tx = self.write().await?;
        for d in &doc.departments {
            sqlx::query(
                "INSERT INTO departments (code, name_zh, name_en, body) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh,
                 name_en = excluded.name_en, body = excluded.body",
            )
            .bind(d.code.as_str())
            .bind(&d.name.zh)
            .bind(&d.name.en)
            .bind(json(d)?)
            .execute(&mut *tx)
            .await?;
        }
        for t in &doc.themes {
            sqlx::query(
                "INSERT INTO themes (code, kind, body) VALUES ($1, $2, $3)
                 ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, body = excluded.body",
            )
            .bind(t.code.as_str())
            .bind(theme_kind(t.kind))
            .bind(json(t)?)
            .execute(&mut *tx)
            .await?;
        }
        for h in &doc.halls {
            sqlx::query(
                "INSERT INTO halls (code, body) VALUES ($1, $2)
                 ON CONFLICT (code) DO UPDATE SET body = excluded.body",
            )
            .bind(h.code.as_str())
            .bind(json(h)?)
            .execute(&mut *tx)
            .await?;
        }
        let names = department_names(&mut tx).await?;
        let now = now_ms();
        for item in &doc.items {
            let dept_name = names
                .get(item.department.as_str())
                .cloned()
                .unwrap_or_default();
            let card = item.summary_with(dept_name);
            sqlx::query(
                "INSERT INTO items (code, parent, department, level, for_individual, for_business,
                   apply_online, name_zh, name_en, keywords, card, body, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                 ON CONFLICT (code) DO UPDATE SET parent = excluded.parent,
                   department = excluded.department, level = excluded.level,
                   for_individual = excluded.for_individual, for_business = excluded.for_business,
                   apply_online = excluded.apply_online, name_zh = excluded.name_zh,
                   name_en = excluded.name_en, keywords = excluded.keywords, card = excluded.card,
                   body = excluded.body, updated_at = excluded.updated_at",
            )
            .bind(item.code.as_str())
            .bind(item.parent.as_ref().map(|p| p.0.clone()))
            .bind(item.department.as_str())
            .bind(item.level.as_str())
            .bind(i64::from(item.audiences.contains(&Audience::Individual)))
            .bind(i64::from(item.audiences.contains(&Audience::Business)))
            .bind(i64::from(item.online.apply_online))
            .bind(&item.name.zh)
            .bind(&item.name.en)
            .bind(json(&item.keywords)?)
            .bind(json(&card)?)
            .bind(json(item)?)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM item_themes WHERE item = $1")
                .bind(item.code.as_str())
                .execute(&mut *tx)
                .await?;
            let unique: HashSet<&str> = item.themes.iter().map(|t| t.as_str()).collect();
            for theme in unique {
                sqlx::query("INSERT INTO item_themes (item, theme) VALUES ($1, $2)")
                    .bind(item.code.as_str())
                    .bind(theme)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        super::audit::record(
            &mut *tx,
            None,
            "catalogue.import",
            "catalogue",
            &format!(
                "{} departments, {} themes, {} halls, {} items",
                doc.departments.len(),
                doc.themes.len(),
                doc.halls.len(),
                doc.items.len()
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(ImportCounts {
            departments: doc.departments.len(),
            themes: doc.themes.len(),
            halls: doc.halls.len(),
            items: doc.items.len(),
        })
    }

    /// Codes already stored, so that a document can refer to them.
    pub async fn known_refs(&self) -> Result<KnownRefs, sqlx::Error> {
        let mut refs = KnownRefs::default();
        for row in sqlx::query("SELECT code FROM departments")
            .fetch_all(&self.pool)
            .await?
        {
            refs.departments.insert(row.try_get(0)?);
        }
        for row in sqlx::query("SELECT code FROM themes")
            .fetch_all(&self.pool)
            .await?
        {
            refs.themes.insert(row.try_get(0)?);
        }
        for hall in self.halls().await? {
            refs.halls.insert(
                hall.code.0,
                hall.windows.into_iter().map(|w| w.code).collect(),
            );
        }
        refs.items = self.item_codes().await?;
        Ok(refs)
    }

    pub async fn item_count(&self) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) FROM items")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)
    }

    /// All item codes, for checking parents on import.
    pub async fn item_codes(&self) -> Result<HashSet<String>, sqlx::Error> {
        let rows = sqlx::query("SELECT code FROM items")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| r.try_get::<String, _>(0)).collect()
    }

    /// A filtered page of the catalogue, ordered by item code (stable across pages).
    pub async fn list_services(
        &self,
        q: &ServiceQuery,
    ) -> Result<Page<ServiceSummary>, sqlx::Error> {
        let (page, per_page) = q.paging();
        let mut conds = Vec::new();
        let mut args: Vec<String> = Vec::new();
        if let Some(d) = &q.department {
            args.push(d.0.clone());
            conds.push(format!("i.department = ${}", args.len()));
        }
        if let Some(l) = q.level {
            args.push(l.as_str().to_owned());
            conds.push(format!("i.level = ${}", args.len()));
        }
        if let Some(t) = &q.theme {
            args.push(t.0.clone());
            conds.push(format!(
                "EXISTS (SELECT 1 FROM item_themes t WHERE t.item = i.code AND t.theme = ${})",
                args.len()
            ));
        }
        match q.audience {
            Some(Audience::Individual) => conds.push("i.for_individual = 1".into()),
            Some(Audience::Business) => conds.push("i.for_business = 1".into()),
            None => {}
        }
        match q.online {
            Some(true) => conds.push("i.apply_online = 1".into()),
            Some(false) => conds.push("i.apply_online = 0".into()),
            None => {}
        }
        let filter = if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        };
        let count_sql = format!("SELECT COUNT(*) FROM items i {filter}");
        let mut count = sqlx::query(&count_sql);
        for a in &args {
            count = count.bind(a.clone());
        }
        let total: i64 = count.fetch_one(&self.pool).await?.try_get(0)?;
        let list_sql = format!(
            "SELECT i.card, d.name_zh, d.name_en FROM items i JOIN departments d ON d.code = i.department
             {filter} ORDER BY i.code LIMIT {per_page} OFFSET {}",
            i64::from(page - 1) * i64::from(per_page)
        );
        let mut list = sqlx::query(&list_sql);
        for a in &args {
            list = list.bind(a.clone());
        }
        let rows = list.fetch_all(&self.pool).await?;
        let items = rows.iter().map(card_from_row).collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            total: total.max(0) as u64,
            page,
            per_page,
        })
    }

    /// The full guide of one item.
    pub async fn service(&self, code: &str) -> Result<Option<ServiceItem>, sqlx::Error> {
        let row = sqlx::query("SELECT body FROM items WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| parse(&r.try_get::<String, _>(0)?)).transpose()
    }

    /// Every item's list view and keywords, ordered by code, for the search index.
    pub async fn search_rows(&self) -> Result<Vec<SearchRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT i.card, d.name_zh, d.name_en, i.keywords FROM items i
             JOIN departments d ON d.code = i.department ORDER BY i.code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SearchRow {
                    summary: card_from_row(r)?,
                    keywords: parse(&r.try_get::<String, _>(3)?)?,
                })
            })
            .collect()
    }

    pub async fn departments(&self) -> Result<Vec<Department>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT d.body, (SELECT COUNT(*) FROM items i WHERE i.department = d.code)
             FROM departments d ORDER BY d.code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let mut d: Department = parse(&r.try_get::<String, _>(0)?)?;
                d.item_count = r.try_get::<i64, _>(1)?.max(0) as u32;
                Ok(d)
            })
            .collect()
    }

    pub async fn themes(&self) -> Result<Vec<Theme>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT t.body, (SELECT COUNT(*) FROM item_themes it WHERE it.theme = t.code)
             FROM themes t ORDER BY t.code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let mut t: Theme = parse(&r.try_get::<String, _>(0)?)?;
                t.item_count = r.try_get::<i64, _>(1)?.max(0) as u32;
                Ok(t)
            })
            .collect()
    }

    pub async fn halls(&self) -> Result<Vec<Hall>, sqlx::Error> {
        let rows = sqlx::query("SELECT body FROM halls ORDER BY code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| parse(&r.try_get::<String, _>(0)?))
            .collect()
    }
}

async fn department_names(
    conn: &mut sqlx::AnyConnection,
) -> Result<HashMap<String, Text>, sqlx::Error> {
    let rows = sqlx::query("SELECT code, name_zh, name_en FROM departments")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get(0)?,
                Text::new(r.try_get::<String, _>(1)?, r.try_get::<String, _>(2)?),
            ))
        })
        .collect()
}

/// A card with the department's current name (columns 0, 1 and 2 of the row).
fn card_from_row(r: &sqlx::any::AnyRow) -> Result<ServiceSummary, sqlx::Error> {
    let mut card: ServiceSummary = parse(&r.try_get::<String, _>(0)?)?;
    card.department_name = Text::new(r.try_get::<String, _>(1)?, r.try_get::<String, _>(2)?);
    Ok(card)
}
